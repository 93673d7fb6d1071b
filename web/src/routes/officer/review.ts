// Reviewing bids: the round's bids a page at a time, by status, and a
// decision (with a reason unless eligible) for each.
import { Router, type Request, type Response } from 'express';
import { ReviewBidDocument, ReviewBidsDocument } from '../../graphql/generated/graphql.js';
import { addApiError } from '../../forms/api-error.js';
import { parseReview } from '../../forms/officer.js';
import { staffFieldOf } from '../../forms/rounds.js';
import { setFlash } from '../../lib/flash.js';
import type { FormErrors } from '../../lib/forms.js';
import { formStatus, renderStaff } from '../../http/render.js';
import { ctx } from '../../http/request.js';
import { afterParam, reviewPage, reviewStatus } from '../../view-models/officer.js';

async function showReview(req: Request, res: Response, errors?: FormErrors, values: Record<string, string> = {}) {
  const after = afterParam(req.query.after);
  const status = reviewStatus(req.query.status);
  const { round } = await req.api.request(ReviewBidsDocument, { id: String(req.params.id), status, after }, ctx(req));
  renderStaff(res, 'staff/review', { ...reviewPage(round, status, after), errors, values }, formStatus(errors));
}

export function reviewRoutes() {
  const r = Router();

  r.get('/officer/rounds/:id/bids', (req, res) => showReview(req, res));
  r.post('/officer/rounds/:id/bids/:bidId', async (req, res) => {
    const bidId = String(req.params.bidId);
    const { values, errors, input } = parseReview(req.body, bidId);
    if (input) {
      try {
        await req.api.request(ReviewBidDocument, input, ctx(req));
        setFlash(res, 'officer.reviewed');
        res.redirect(303, `/officer/rounds/${req.params.id}/bids`);
        return;
      } catch (e) {
        addApiError(errors, e, { field: `decision-${bidId}`, fieldOf: staffFieldOf, every: true });
      }
    }
    await showReview(req, res, errors, values);
  });

  return r;
}

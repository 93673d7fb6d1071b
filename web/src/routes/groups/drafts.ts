// A draft: the bid form filled in with what was saved, then check answers
// and send, or save again to come back later; or delete it.
import { Router, type Request, type Response } from 'express';
import { BidDraftDocument, DeleteBidDraftDocument, SubmitBidDraftDocument, UpdateBidDraftDocument } from '../../graphql/generated/graphql.js';
import { addApiError } from '../../forms/api-error.js';
import { bidValues, bidValuesOf, checkCostWithinPot, confirmed, draftDetails, groupApiErrors, savingDraft, validateBid, validateDraft, type BidValues } from '../../forms/bids.js';
import { setFlash } from '../../lib/flash.js';
import { FormErrors } from '../../lib/forms.js';
import { formatPence, parsePounds } from '../../lib/money.js';
import { formStatus } from '../../http/render.js';
import { ctx } from '../../http/request.js';
import { allAreas } from '../../graphql/load.js';
import { bidAreas, draftData } from '../../view-models/groups.js';

async function loadDraft(req: Request) {
  const groupId = String(req.params.id);
  const [data, areas] = await Promise.all([req.api.request(BidDraftDocument, { id: String(req.params.draftId), groupId }, ctx(req)), allAreas(req)]);
  return { ...draftData(data, groupId), areas };
}

type Draft = Awaited<ReturnType<typeof loadDraft>>;

/** The draft, or a redirect to the bid's page once it is a draft no longer (or not this group's). */
async function draftOrBid(req: Request, res: Response): Promise<Draft | null> {
  const data = await loadDraft(req);
  if (data.isDraft) return data;
  res.redirect(303, `/bids/${data.bid.id}`);
  return null;
}

async function draftForm(req: Request, res: Response, values?: BidValues, errors?: FormErrors) {
  const data = await draftOrBid(req, res);
  if (!data) return;
  const { bid } = data;
  const shown = values ?? bidValuesOf(bid, { blankZeroCost: true });
  res.status(formStatus(errors)).render('pages/bid-form', {
    pageTitle: res.locals.t.bidForm.draftTitle,
    draft: bid,
    round: bid.round,
    pot: data.pot,
    group: data.group,
    rounds: [],
    categories: data.bidCategories,
    ...bidAreas(data.areas, data.group.area, shown.areaId),
    values: shown,
    errors,
    action: `/groups/${data.groupId}/drafts/${bid.id}`,
    backLink: `/groups/${data.groupId}`,
    navSection: 'groups',
  });
}

export function draftRoutes() {
  const r = Router();

  r.get('/groups/:id/drafts/:draftId', (req, res) => draftForm(req, res));
  r.post('/groups/:id/drafts/:draftId/change', (req, res) => draftForm(req, res, bidValues(req.body)));

  r.post('/groups/:id/drafts/:draftId', async (req, res) => {
    const t = res.locals.t;
    const data = await draftOrBid(req, res);
    if (!data) return;
    const { bid, groupId } = data;
    const values = { ...bidValues(req.body), roundId: bid.round.id };
    const draft = savingDraft(req.body);
    const areaIds = bidAreas(data.areas, data.group.area, '').areaOptions.map((a) => a.id);
    const errors = draft ? validateDraft(t, values, false, data.bidCategories, areaIds) : validateBid(t, values, false, data.bidCategories, areaIds);
    if (!draft) checkCostWithinPot(t, values, data.pot, errors);
    if (errors.any) {
      await draftForm(req, res, values, errors);
      return;
    }
    try {
      // What the group wrote is kept at every step, so nothing is lost if
      // they leave at check answers.
      await req.api.request(UpdateBidDraftDocument, { id: bid.id, details: draftDetails(values) }, ctx(req));
      if (draft) {
        setFlash(res, 'bidForm.draftSaved');
        res.redirect(303, `/groups/${groupId}#drafts`);
        return;
      }
      if (!confirmed(req.body)) {
        res.render('pages/bid-check', {
          pageTitle: t.bidForm.checkTitle,
          group: data.group,
          round: bid.round,
          ...bidAreas(data.areas, data.group.area, values.areaId),
          values,
          costText: formatPence(parsePounds(values.cost) ?? 0, req.lang),
          action: `/groups/${groupId}/drafts/${bid.id}`,
          navSection: 'groups',
        });
        return;
      }
      const { submitBidDraft } = await req.api.request(SubmitBidDraftDocument, { id: bid.id }, ctx(req));
      res.redirect(303, `/bids/${submitBidDraft.id}/sent`);
    } catch (e) {
      await draftForm(req, res, values, addApiError(new FormErrors(), e, groupApiErrors(t)));
    }
  });

  r.get('/groups/:id/drafts/:draftId/delete', async (req, res) => {
    const data = await draftOrBid(req, res);
    if (!data) return;
    res.render('pages/bid-draft-delete', {
      pageTitle: res.locals.t.bidForm.deleteDraftTitle,
      bid: data.bid,
      group: data.group,
      backLink: `/groups/${data.groupId}/drafts/${data.bid.id}`,
      navSection: 'groups',
    });
  });
  r.post('/groups/:id/drafts/:draftId/delete', async (req, res) => {
    await req.api.request(DeleteBidDraftDocument, { id: String(req.params.draftId) }, ctx(req));
    setFlash(res, 'bidForm.draftDeleted');
    res.redirect(303, `/groups/${req.params.id}`);
  });

  return r;
}

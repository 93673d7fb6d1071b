// A funded bid's group after the vote: posting an update on how the
// project is going, with up to four photos, for the council to approve,
// and the group's updates with their state (waiting, public, or not
// approved with the council's reason). /bids/BID/updates, linked from the
// bid's page for its members. The photos come in the multipart form, read
// into memory before the CSRF check with each over 5 MB marked rather than
// kept (http/bodies.ts), and go to the API as base64.
import { Router, type Request, type Response } from 'express';
import { BidDeliveryUpdatesDocument, PostDeliveryUpdateDocument, type BidDeliveryUpdatesQuery } from '../../graphql/generated/graphql.js';
import { addUpdateError, parseUpdate, PHOTO_SLOTS, type UpdateValues, type UploadedFiles } from '../../forms/delivery.js';
import type { FormErrors } from '../../lib/forms.js';
import { formStatus } from '../../http/render.js';
import { ctx, requireSignIn } from '../../http/request.js';
import { written } from '../../lib/welsh.js';
import { deliveryView, updateView } from '../../view-models/delivery.js';

type Bid = BidDeliveryUpdatesQuery['bid'];
type FundedBid = Bid & { delivery: NonNullable<Bid['delivery']> };

/** The bid with its delivery, when the signed-in person is in its group; otherwise the page says why not and this is undefined. */
async function memberBid(req: Request, res: Response): Promise<FundedBid | undefined> {
  const t = res.locals.t;
  const { bid } = await req.api.request(BidDeliveryUpdatesDocument, { id: String(req.params.id) }, ctx(req));
  if (!bid.delivery) {
    res.status(404).render('pages/error', { title: t.errors.notFoundTitle, text: t.errors.notFoundText });
    return undefined;
  }
  if (!req.me?.groups.some((g) => g.id === bid.group.id)) {
    res.status(403).render('pages/error', { title: t.delivery.notMemberTitle, text: t.delivery.notMemberText });
    return undefined;
  }
  return bid as FundedBid;
}

function updatePage(req: Request, res: Response, bid: FundedBid, form: { values?: UpdateValues; errors?: FormErrors; photosAgain?: boolean } = {}) {
  const t = res.locals.t;
  res.status(formStatus(form.errors)).render('pages/delivery-update', {
    pageTitle: `${t.delivery.postTitle}: ${written(bid, 'title', req.lang)}`,
    bid,
    delivery: deliveryView(bid.delivery, t, req.lang),
    // Every update of the group's, newest first, with its state.
    updates: bid.delivery.updates.map((u) => updateView(u, t, req.lang)),
    slots: PHOTO_SLOTS,
    values: form.values ?? {},
    errors: form.errors,
    photosAgain: form.photosAgain ?? false,
    backLink: `/bids/${bid.id}#delivery`,
    navSection: 'groups',
  });
}

export function deliveryUpdateRoutes() {
  const r = Router();
  r.use('/bids/:id/updates', requireSignIn);

  r.get('/bids/:id/updates', async (req, res) => {
    const bid = await memberBid(req, res);
    if (bid) updatePage(req, res, bid);
  });

  r.post('/bids/:id/updates', async (req, res) => {
    const bid = await memberBid(req, res);
    if (!bid) return;
    const t = res.locals.t;
    const { values, errors, input, photoSlots, photoSent } = parseUpdate(req.body, req.files as UploadedFiles, bid.delivery.id, t);
    if (input) {
      try {
        await req.api.request(PostDeliveryUpdateDocument, { input }, ctx(req));
        res.redirect(303, `/bids/${bid.id}/updates/sent`);
        return;
      } catch (e) {
        addUpdateError(errors, e, photoSlots, t);
      }
    }
    updatePage(req, res, bid, { values, errors, photosAgain: photoSent });
  });

  r.get('/bids/:id/updates/sent', async (req, res) => {
    const bid = await memberBid(req, res);
    if (bid) res.render('pages/delivery-update-sent', { pageTitle: res.locals.t.delivery.sentTitle, bid, navSection: 'groups' });
  });

  return r;
}

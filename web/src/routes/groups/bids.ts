// Writing a bid: the form, then check your answers, then the bid is sent
// ("Save as draft" keeps it instead). Changing a bid, sending it back
// after changes were asked for, withdrawing it.
import { Router, type Request, type Response } from 'express';
import {
  BidCategoriesDocument,
  BidFormDataDocument,
  BidPageDocument,
  ResubmitBidDocument,
  SaveBidDraftDocument,
  SubmitBidDocument,
  UpdateBidDocument,
  WithdrawBidDocument,
} from '../../graphql/generated/graphql.js';
import { addApiError } from '../../forms/api-error.js';
import { bidDetails, bidValues, bidValuesOf, checkCostWithinPot, confirmed, draftDetails, groupApiErrors, savingDraft, validateBid, validateDraft, type BidValues } from '../../forms/bids.js';
import { setFlash } from '../../lib/flash.js';
import { FormErrors } from '../../lib/forms.js';
import { formatPence, parsePounds } from '../../lib/money.js';
import { formStatus } from '../../http/render.js';
import { ctx, requireSignIn } from '../../http/request.js';
import { allAreas } from '../../graphql/load.js';
import { bidAreas, bidFormData } from '../../view-models/groups.js';

/** The open rounds, the categories, and every area a bid may be for. */
const formData = async (req: Request, groupId: string) => {
  const [data, areas] = await Promise.all([req.api.request(BidFormDataDocument, { groupId }, ctx(req)), allAreas(req)]);
  return { ...bidFormData(data), areas };
};

async function newBidForm(req: Request, res: Response, values: Partial<BidValues>, errors?: FormErrors) {
  const groupId = String(req.params.id);
  const data = await formData(req, groupId);
  if (!values.roundId && data.rounds.length === 1) values.roundId = data.rounds[0]?.id;
  res.status(formStatus(errors)).render('pages/bid-form', {
    pageTitle: res.locals.t.bidForm.newTitle,
    ...data,
    ...bidAreas(data.areas, data.group.area, values.areaId ?? ''),
    values,
    errors,
    action: `/groups/${groupId}/bids/new`,
    backLink: `/groups/${groupId}`,
    navSection: 'groups',
  });
}

async function editForm(req: Request, res: Response, values?: BidValues, errors?: FormErrors) {
  const { bid } = await req.api.request(BidPageDocument, { id: String(req.params.id) }, ctx(req));
  const data = await formData(req, bid.group.id);
  const shown = values ?? bidValuesOf(bid);
  res.status(formStatus(errors)).render('pages/bid-form', {
    pageTitle: res.locals.t.bidForm.editTitle,
    editing: true,
    bid,
    group: data.group,
    rounds: [],
    categories: data.categories,
    ...bidAreas(data.areas, bid.area, shown.areaId),
    values: shown,
    errors,
    action: `/bids/${bid.id}/edit`,
    backLink: `/bids/${bid.id}`,
    navSection: 'groups',
  });
}

export function bidRoutes() {
  const r = Router();

  r.get('/groups/:id/bids/new', (req, res) => newBidForm(req, res, {}));
  r.post('/groups/:id/bids/new', async (req, res) => {
    const t = res.locals.t;
    const groupId = String(req.params.id);
    const values = bidValues(req.body);
    const data = await formData(req, groupId);
    const round = data.rounds.find((x) => x.id === values.roundId);
    const draft = savingDraft(req.body);
    const areaIds = bidAreas(data.areas, data.group.area, '').areaOptions.map((a) => a.id);
    const errors = draft ? validateDraft(t, values, true, data.categories, areaIds) : validateBid(t, values, true, data.categories, areaIds);
    if (!round) errors.add('roundId', t.bidForm.errorRound);
    if (!draft) checkCostWithinPot(t, values, round?.pot, errors);
    if (errors.any || !round) {
      await newBidForm(req, res, values, errors);
      return;
    }
    if (!draft && !confirmed(req.body)) {
      res.render('pages/bid-check', {
        pageTitle: t.bidForm.checkTitle,
        group: data.group,
        round,
        ...bidAreas(data.areas, data.group.area, values.areaId),
        values,
        costText: formatPence(parsePounds(values.cost) ?? 0, req.lang),
        action: `/groups/${groupId}/bids/new`,
        navSection: 'groups',
      });
      return;
    }
    const input = { roundId: round.id, groupId, areaId: data.group.area.id };
    try {
      if (draft) {
        await req.api.request(SaveBidDraftDocument, { input: { ...input, details: draftDetails(values) } }, ctx(req));
        setFlash(res, 'bidForm.draftSaved');
        res.redirect(303, `/groups/${groupId}#drafts`);
        return;
      }
      const { submitBid } = await req.api.request(SubmitBidDocument, { input: { ...input, details: bidDetails(values) } }, ctx(req));
      res.redirect(303, `/bids/${submitBid.id}/sent`);
    } catch (e) {
      await newBidForm(req, res, values, addApiError(draft ? errors : new FormErrors(), e, groupApiErrors(t)));
    }
  });

  r.post('/groups/:id/bids/new/change', (req, res) => newBidForm(req, res, bidValues(req.body)));

  r.get('/bids/:id/sent', requireSignIn, async (req, res) => {
    const { bid } = await req.api.request(BidPageDocument, { id: String(req.params.id) }, ctx(req));
    res.render('pages/bid-sent', { pageTitle: res.locals.t.bidForm.sentTitle, bid, navSection: 'groups' });
  });

  r.get('/bids/:id/edit', (req, res) => editForm(req, res));
  r.post('/bids/:id/edit', async (req, res) => {
    const values = bidValues(req.body);
    const [{ bidCategories }, { bid }, areas] = await Promise.all([
      req.api.request(BidCategoriesDocument, {}, ctx(req)),
      req.api.request(BidPageDocument, { id: String(req.params.id) }, ctx(req)),
      allAreas(req),
    ]);
    const areaIds = bidAreas(areas, bid.area, '').areaOptions.map((a) => a.id);
    const errors = validateBid(res.locals.t, values, false, bidCategories, areaIds);
    if (!errors.any) {
      try {
        const { updateBid } = await req.api.request(UpdateBidDocument, { id: String(req.params.id), details: bidDetails(values) }, ctx(req));
        // A bid changed after its review goes back to the council to check.
        setFlash(res, updateBid.status === 'SUBMITTED' ? 'bidForm.savedForReview' : 'bidForm.saved');
        res.redirect(303, `/bids/${req.params.id}`);
        return;
      } catch (e) {
        addApiError(errors, e, groupApiErrors(res.locals.t));
      }
    }
    await editForm(req, res, values, errors);
  });

  r.post('/bids/:id/resubmit', requireSignIn, async (req, res) => {
    await req.api.request(ResubmitBidDocument, { id: String(req.params.id) }, ctx(req));
    setFlash(res, 'bidForm.resubmitted');
    res.redirect(303, `/bids/${req.params.id}`);
  });

  r.get('/bids/:id/withdraw', async (req, res) => {
    const { bid } = await req.api.request(BidPageDocument, { id: String(req.params.id) }, ctx(req));
    res.render('pages/bid-withdraw', { pageTitle: res.locals.t.bidForm.withdrawTitle, bid, backLink: `/bids/${bid.id}`, navSection: 'groups' });
  });
  r.post('/bids/:id/withdraw', async (req, res) => {
    await req.api.request(WithdrawBidDocument, { id: String(req.params.id) }, ctx(req));
    setFlash(res, 'bidForm.withdrawn');
    res.redirect(303, `/bids/${req.params.id}`);
  });

  return r;
}

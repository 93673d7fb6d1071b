// Delivery of a published round's funded bids, on the staff pages, in the
// page's language (every word is in the dictionaries' `deliveryStaff` and
// `delivery`): /officer/rounds/ROUND/delivery lists each funded bid with
// its status and money and the updates waiting for approval; each bid's
// page, /officer/rounds/ROUND/delivery/BID, has the forms for officers
// (status with its reason, money spent in pounds with a reason beyond the
// award, milestones, approving or not approving the group's updates).
// Councillors see the same pages without the forms.
import { Router, type Request, type Response } from 'express';
import {
  DecideDeliveryUpdateDocument,
  SetDeliveryMilestonesDocument,
  SetDeliverySpendingDocument,
  SetDeliveryStatusDocument,
  StaffBidDeliveryDocument,
  StaffRoundDeliveryDocument,
  type StaffBidDeliveryQuery,
} from '../../graphql/generated/graphql.js';
import {
  addStaffDeliveryError,
  milestoneRows,
  parseDecision,
  parseMilestones,
  parseSpending,
  parseStatus,
  spendingValues,
  statusValues,
  type MilestoneRow,
} from '../../forms/delivery.js';
import { fmt, plural, type Dictionary } from '../../i18n/index.js';
import { setFlash } from '../../lib/flash.js';
import type { FormErrors } from '../../lib/forms.js';
import { formStatus, renderStaffPage } from '../../http/render.js';
import { ctx } from '../../http/request.js';
import { written } from '../../lib/welsh.js';
import { DELIVERY_STATUSES, deliveryView, statusTag, totalsView, updateView, waitingByDelivery } from '../../view-models/delivery.js';

type StaffBid = StaffBidDeliveryQuery['bid'];
type FundedBid = StaffBid & { delivery: NonNullable<StaffBid['delivery']> };

function words(res: Response): Dictionary {
  return res.locals.t as Dictionary;
}

function notFound(res: Response) {
  const t = words(res);
  res.status(404).render('pages/error', { title: t.errors.notFoundTitle, text: t.errors.notFoundText });
}

function isOfficer(req: Request): boolean {
  const roles = req.me?.roles ?? [];
  return roles.includes('OFFICER') || roles.includes('ADMIN');
}

/** Changes are for officers: a councillor sees the not-allowed page. */
function officersOnly(req: Request, res: Response): boolean {
  if (isOfficer(req)) return true;
  const t = words(res);
  res.status(403).render('pages/error', { title: t.errors.notAllowedTitle, text: t.errors.notAllowedText });
  return false;
}

const here = (req: Request) => `/officer/rounds/${encodeURIComponent(String(req.params.id))}/delivery/${encodeURIComponent(String(req.params.bidId))}`;

/** The bid with its delivery, when it is a funded bid of this published round; otherwise the page not found and undefined. */
async function fundedBid(req: Request, res: Response): Promise<FundedBid | undefined> {
  const { bid } = await req.api.request(StaffBidDeliveryDocument, { bidId: String(req.params.bidId) }, ctx(req));
  if (!bid.delivery || bid.round.id !== String(req.params.id)) {
    notFound(res);
    return undefined;
  }
  return bid as FundedBid;
}

interface FormState {
  values?: Record<string, string>;
  rows?: MilestoneRow[];
  errors?: FormErrors;
}

function deliveryPage(req: Request, res: Response, bid: FundedBid, form: FormState = {}) {
  const t = words(res);
  const d = bid.delivery;
  const updates = d.updates.map((u) => updateView(u, t, req.lang));
  renderStaffPage(
    res,
    'staff/delivery-bid',
    {
      pageTitle: `${t.deliveryStaff.title}: ${written(bid, 'title', req.lang)}`,
      bid,
      delivery: deliveryView(d, t, req.lang),
      // Waiting: oldest first, the order they came in. Decided: newest first.
      waiting: updates.filter((u) => u.state === 'PENDING').reverse(),
      decided: updates.filter((u) => u.state !== 'PENDING'),
      statuses: DELIVERY_STATUSES.map((s) => ({ value: s, text: statusTag(s, t).text })),
      values: { ...statusValues(d), ...spendingValues(d), ...form.values },
      rows: form.rows ?? milestoneRows(d.milestones),
      spentHint: fmt(t.deliveryStaff.spentHint, { award: deliveryView(d, t, req.lang).awardText }),
      mayChange: isOfficer(req),
      errors: form.errors,
      backLink: `/officer/rounds/${bid.round.id}/delivery`,
    },
    formStatus(form.errors),
  );
}

export function deliveryStaffRoutes() {
  const r = Router();

  r.get('/officer/rounds/:id/delivery', async (req, res) => {
    const t = words(res);
    const { round, roundDelivery, deliveryUpdatesWaiting } = await req.api.request(StaffRoundDeliveryDocument, { roundId: String(req.params.id) }, ctx(req));
    if (round.phase !== 'PUBLISHED') {
      notFound(res);
      return;
    }
    const waiting = waitingByDelivery(deliveryUpdatesWaiting);
    renderStaffPage(res, 'staff/delivery', {
      pageTitle: `${t.deliveryStaff.title}: ${written(round, 'title', req.lang)}`,
      round,
      totals: totalsView(roundDelivery.totals, t, req.lang),
      waitingText: deliveryUpdatesWaiting.length ? plural(req.lang, t.deliveryStaff.waiting, deliveryUpdatesWaiting.length) : t.deliveryStaff.noneWaiting,
      deliveries: roundDelivery.deliveries.map((d) => ({ ...deliveryView(d, t, req.lang), waiting: waiting.get(d.id) ?? 0 })),
      backLink: `/officer/rounds/${round.id}`,
    });
  });

  r.get('/officer/rounds/:id/delivery/:bidId', async (req, res) => {
    const bid = await fundedBid(req, res);
    if (bid) deliveryPage(req, res, bid);
  });

  r.post('/officer/rounds/:id/delivery/:bidId/status', async (req, res) => {
    if (!officersOnly(req, res)) return;
    const bid = await fundedBid(req, res);
    if (!bid) return;
    const t = words(res);
    const { values, errors, input } = parseStatus(req.body, t);
    if (input) {
      try {
        await req.api.request(SetDeliveryStatusDocument, { deliveryId: bid.delivery.id, ...input }, ctx(req));
        setFlash(res, 'deliveryStaff.statusSaved');
        res.redirect(303, `${here(req)}#status`);
        return;
      } catch (e) {
        addStaffDeliveryError(errors, e, { status: 'status', reason: 'statusReason' }, 'status', t);
      }
    }
    deliveryPage(req, res, bid, { values, errors });
  });

  r.post('/officer/rounds/:id/delivery/:bidId/spending', async (req, res) => {
    if (!officersOnly(req, res)) return;
    const bid = await fundedBid(req, res);
    if (!bid) return;
    const t = words(res);
    const { values, errors, input } = parseSpending(req.body, bid.delivery.awardPence, t);
    if (input) {
      try {
        await req.api.request(SetDeliverySpendingDocument, { deliveryId: bid.delivery.id, ...input }, ctx(req));
        setFlash(res, 'deliveryStaff.spendingSaved');
        res.redirect(303, `${here(req)}#spending`);
        return;
      } catch (e) {
        addStaffDeliveryError(errors, e, { spentPence: 'spent', reason: 'spentReason' }, 'spent', t);
      }
    }
    deliveryPage(req, res, bid, { values, errors });
  });

  r.post('/officer/rounds/:id/delivery/:bidId/milestones', async (req, res) => {
    if (!officersOnly(req, res)) return;
    const bid = await fundedBid(req, res);
    if (!bid) return;
    const t = words(res);
    const { rows, errors, input } = parseMilestones(req.body, t);
    if (input) {
      try {
        await req.api.request(SetDeliveryMilestonesDocument, { deliveryId: bid.delivery.id, milestones: input }, ctx(req));
        setFlash(res, 'deliveryStaff.milestonesSaved');
        res.redirect(303, `${here(req)}#milestones`);
        return;
      } catch (e) {
        addStaffDeliveryError(errors, e, {}, 'milestone-1-title', t);
      }
    }
    deliveryPage(req, res, bid, { rows, errors });
  });

  r.post('/officer/rounds/:id/delivery/:bidId/updates/:updateId', async (req, res) => {
    if (!officersOnly(req, res)) return;
    const bid = await fundedBid(req, res);
    if (!bid) return;
    const t = words(res);
    const updateId = String(req.params.updateId);
    if (!bid.delivery.updates.some((u) => u.id === updateId)) {
      notFound(res);
      return;
    }
    const { values, errors, input } = parseDecision(req.body, updateId, t);
    if (input) {
      try {
        await req.api.request(DecideDeliveryUpdateDocument, { updateId, ...input }, ctx(req));
        setFlash(res, input.approve ? 'deliveryStaff.approved' : 'deliveryStaff.rejected');
        res.redirect(303, here(req));
        return;
      } catch (e) {
        addStaffDeliveryError(errors, e, { reason: `reason-${updateId}` }, `reason-${updateId}`, t);
      }
    }
    deliveryPage(req, res, bid, { values, errors });
  });

  return r;
}

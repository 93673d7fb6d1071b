// Voting: a page for each kind of ballot, check your answers, then the
// receipt. Officers use the same pages to enter an assisted or paper
// ballot for a verified person. Everything works without JavaScript: the
// server reads the form (lib/ballot.ts), and "Update" buttons recompute
// totals; the ballot script only shows them sooner.
import { randomUUID } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { ctx, requireOfficer, requireSignIn } from '../http/request.js';
import { ApiError } from '../graphql/client.js';
import { addApiError } from '../forms/api-error.js';
import { choicesFor, formFromBody, formFromLines, problemErrors, wholeBallotField, type BallotBid, type BallotContext, type FormValues } from '../forms/ballot.js';
import { bidsInOrder, checkLines, hiddenFields, scoreScale, summaryTexts } from '../view-models/ballot.js';
import {
  BallotBidsDocument,
  CastAssistedBallotDocument,
  CastBallotDocument,
  RoundPageDocument,
  VotePageDocument,
  type OfficerChannel,
} from '../graphql/generated/graphql.js';
import { allPages } from '../graphql/pages.js';
import { readBallot, ordinal } from '../lib/ballot.js';
import { FormErrors, str } from '../lib/forms.js';
import { apiLanguage, fmt, type Dictionary } from '../i18n/index.js';
import { timetable } from '../view-models/timetable.js';
import { renderStaff } from '../http/render.js';

/** When voting closes and the days left, for a resident's ballot pages (none on an officer's). */
function deadline(req: Request, t: Dictionary, c: BallotContext) {
  return c.staff ? undefined : timetable(t, req.lang, { phase: 'VOTING', schedule: { votingClosesAt: c.votingClosesAt ?? null } });
}

/** Nothing chosen: the ballot is blank. */
function isBlank(reading: ReturnType<typeof readBallot>): boolean {
  return reading.choice.bids.length === 0 && Object.keys(reading.choice.amounts).length === 0;
}

/** The check page: the choices, or that the ballot is blank, to send or to change. */
function renderCheck(req: Request, res: Response, c: BallotContext, form: FormValues, reading: ReturnType<typeof readBallot>) {
  const t = res.locals.t as Dictionary;
  res.render('pages/vote-check', {
    pageTitle: c.staff ? 'Check the ballot before you record it' : t.vote.checkTitle,
    ...c,
    lines: checkLines(t, req.lang, c, reading),
    blank: isBlank(reading),
    hidden: hiddenFields(form),
    // One key per ballot: sending the same page twice gets the same receipt.
    idempotencyKey: str(req.body, 'idempotencyKey') || randomUUID(),
    deadline: deadline(req, t, c),
    mainLang: c.staff ? 'en' : undefined,
  });
}

async function ballotBids(req: Request, roundId: string, areaId: string): Promise<BallotBid[]> {
  return allPages(async (after) => (await req.api.request(BallotBidsDocument, { roundId, areaId, after }, ctx(req))).round.bids);
}

function renderBallot(req: Request, res: Response, c: BallotContext, form: FormValues, opts: { errors?: FormErrors; notice?: string } = {}) {
  const t = res.locals.t as Dictionary;
  const reading = readBallot(c.rules, c.bids, form);
  const rankOptions = c.bids.map((_, i) => ({ value: String(i + 1), text: ordinal(i + 1, req.lang) }));
  res.status(opts.errors?.any ? 400 : 200).render('pages/vote', {
    pageTitle: t.ballotKinds[c.rules.kind],
    deadline: deadline(req, t, c),
    ...c,
    bids: bidsInOrder(c, form),
    form,
    chosen: Array.isArray(form.bid) ? form.bid : [],
    reading,
    texts: summaryTexts(t, req.lang, c, reading),
    rankOptions,
    scale: scoreScale(c.rules),
    errors: opts.errors,
    notice: opts.notice,
    mainLang: c.staff ? 'en' : undefined,
    backLink: c.staff ? `/officer/rounds/${c.round.id}` : `/rounds/${c.round.id}`,
  });
}

/** Posted ballot: "Update" re-renders with totals; "Continue" checks, then shows the answers to check. */
function handleBallotPost(req: Request, res: Response, c: BallotContext) {
  const t = res.locals.t as Dictionary;
  const form = formFromBody(req.body, c.bids);
  const action = str(req.body, 'action');
  if (action === 'update' || action === 'change') {
    renderBallot(req, res, c, form);
    return;
  }
  const reading = readBallot(c.rules, c.bids, form);
  if (reading.problems.length) {
    renderBallot(req, res, c, form, { errors: problemErrors(t, req.lang, reading.problems, c) });
    return;
  }
  renderCheck(req, res, c, form, reading);
}

async function handleConfirm(req: Request, res: Response, c: BallotContext) {
  const t = res.locals.t as Dictionary;
  const form = formFromBody(req.body, c.bids);
  const reading = readBallot(c.rules, c.bids, form);
  if (reading.problems.length) {
    renderBallot(req, res, c, form, { errors: problemErrors(t, req.lang, reading.problems, c) });
    return;
  }
  // A blank ballot is sent only once its check page has said so and been confirmed.
  if (isBlank(reading) && str(req.body, 'blank') !== 'yes') {
    renderCheck(req, res, c, form, reading);
    return;
  }
  const idempotencyKey = str(req.body, 'idempotencyKey') || randomUUID();
  try {
    const cast = c.staff
      ? (await req.api.request(CastAssistedBallotDocument, { input: { roundId: c.round.id, verificationId: c.staff.verificationId, channel: c.staff.channel, choices: choicesFor(c, reading), idempotencyKey } }, ctx(req))).castAssistedBallot
      : (await req.api.request(CastBallotDocument, { input: { roundId: c.round.id, choices: choicesFor(c, reading), idempotencyKey } }, ctx(req))).castBallot;
    // An officer's page of its own: after a paper ballot, the next form from the post.
    if (c.staff) renderStaff(res, 'staff/ballot-recorded', { pageTitle: 'Ballot recorded', ...c, cast });
    else res.render('pages/vote-done', { pageTitle: t.vote.doneTitle, ...c, cast, deadline: deadline(req, t, c) });
  } catch (e) {
    const errors = addApiError(new FormErrors(), e, { field: wholeBallotField(c), messages: t.api, rethrow: ['INTERNAL', 'UNAUTHENTICATED'] });
    renderBallot(req, res, c, form, { errors });
  }
}

/** The resident's own ballot: null (after answering) when they cannot vote now. */
async function residentBallot(req: Request, res: Response): Promise<{ c: BallotContext; data: Awaited<ReturnType<typeof loadVotePage>> } | null> {
  const t = res.locals.t as Dictionary;
  const data = await loadVotePage(req);
  const mine = data.myVerifications.find((v) => v.roundId === data.round.id && v.verified);
  if (!mine) {
    res.redirect(303, `/rounds/${data.round.id}/verify`);
    return null;
  }
  if (data.round.phase !== 'VOTING' || !data.myVote.canVote) {
    res.render('pages/error', { pageTitle: t.vote.notOpenTitle, title: t.vote.notOpenTitle, text: t.vote.notOpenText });
    return null;
  }
  const pot = data.round.pots.find((p) => p.area.id === mine.area.id);
  const c: BallotContext = {
    round: data.round,
    area: mine.area,
    rules: { ...data.round.ballot, potPence: pot?.amountPence ?? 0 },
    bids: await ballotBids(req, data.round.id, mine.area.id),
    action: `/rounds/${data.round.id}/vote`,
    confirmAction: `/rounds/${data.round.id}/vote/confirm`,
    votingClosesAt: data.round.schedule.votingClosesAt ?? null,
  };
  return { c, data };
}

function loadVotePage(req: Request) {
  return req.api.request(VotePageDocument, { roundId: String(req.params.id), language: apiLanguage(req.lang) }, ctx(req));
}

async function staffBallot(req: Request): Promise<BallotContext> {
  const { round } = await req.api.request(RoundPageDocument, { id: String(req.params.id) }, ctx(req));
  const areaId = String(req.query.area ?? str(req.body, 'area'));
  const verificationId = String(req.query.verification ?? str(req.body, 'verification'));
  const channel: OfficerChannel = (req.query.channel ?? str(req.body, 'channel')) === 'PAPER' ? 'PAPER' : 'ASSISTED';
  const pot = round.pots.find((p) => p.area.id === areaId);
  if (!pot) throw new ApiError([{ code: 'NOT_FOUND', message: 'no such area in this round' }]);
  const query = new URLSearchParams({ verification: verificationId, area: areaId, channel }).toString();
  return {
    round,
    area: pot.area,
    rules: { ...round.ballot, potPence: pot.amountPence },
    bids: await ballotBids(req, round.id, areaId),
    action: `/officer/rounds/${round.id}/ballots?${query}`,
    confirmAction: `/officer/rounds/${round.id}/ballots/confirm?${query}`,
    staff: { channel, verificationId },
  };
}

export function voteRoutes() {
  const r = Router();
  r.use('/rounds/:id/vote', requireSignIn);

  r.get('/rounds/:id/vote', async (req, res) => {
    const got = await residentBallot(req, res);
    if (!got) return;
    const { c, data } = got;
    const t = res.locals.t as Dictionary;
    const form = data.myBallot ? formFromLines(c.rules.kind, data.myBallot.lines) : {};
    const notice = data.myVote.voted && data.myVote.lastVotedAt ? fmt(t.vote.alreadyVoted, { date: new Intl.DateTimeFormat(req.lang === 'cy' ? 'cy-GB' : 'en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/London' }).format(new Date(data.myVote.lastVotedAt)) }) : undefined;
    renderBallot(req, res, c, form, { notice });
  });

  r.post('/rounds/:id/vote', async (req, res) => {
    const got = await residentBallot(req, res);
    if (got) handleBallotPost(req, res, got.c);
  });

  r.post('/rounds/:id/vote/confirm', async (req, res) => {
    const got = await residentBallot(req, res);
    if (got) await handleConfirm(req, res, got.c);
  });

  // Officers: an assisted or paper ballot for a verified person.
  r.use('/officer/rounds/:id/ballots', requireOfficer);
  r.get('/officer/rounds/:id/ballots', async (req, res) => renderBallot(req, res, await staffBallot(req), {}));
  r.post('/officer/rounds/:id/ballots', async (req, res) => handleBallotPost(req, res, await staffBallot(req)));
  r.post('/officer/rounds/:id/ballots/confirm', async (req, res) => handleConfirm(req, res, await staffBallot(req)));

  return r;
}

// Voting: a page for each kind of ballot, check your answers, then the
// receipt. Officers use the same pages to enter an assisted or paper
// ballot for a verified person. Everything works without JavaScript: the
// server reads the form (lib/ballot.ts), and "Update" buttons recompute
// totals; the ballot script only shows them sooner.
import { randomUUID } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { ctx, requireOfficer, requireSignIn } from '../app.js';
import { ApiError } from '../graphql/client.js';
import {
  BallotBidsDocument,
  CastAssistedBallotDocument,
  CastBallotDocument,
  RoundPageDocument,
  VotePageDocument,
  type BallotKind,
  type OfficerChannel,
} from '../graphql/generated/graphql.js';
import { allPages } from '../graphql/pages.js';
import { readBallot, ordinal, type BallotProblem, type BallotReading, type BallotRules } from '../lib/ballot.js';
import { FormErrors, str } from '../lib/forms.js';
import { formatPence, penceToInput } from '../lib/money.js';
import { fmt, plural, type Dictionary } from '../i18n/index.js';

interface BallotBid {
  id: string;
  title: string;
  summary: string;
  costPence: number;
  group: { name: string };
}

interface BallotContext {
  round: { id: string; title: string };
  area: { id: string; name: string };
  rules: BallotRules;
  bids: BallotBid[];
  /** Where the ballot form posts, and where the check page's "Send" posts. */
  action: string;
  confirmAction: string;
  /** Staff pages are in English. */
  staff?: { channel: OfficerChannel; verificationId: string };
}

type FormValues = Record<string, string | string[]>;

async function ballotBids(req: Request, roundId: string, areaId: string): Promise<BallotBid[]> {
  return allPages(async (after) => (await req.api.request(BallotBidsDocument, { roundId, areaId, after }, ctx(req))).round.bids);
}

/** The form's fields for a stored ballot, so "change your vote" starts from it. */
function formFromLines(kind: BallotKind, lines: { position: number; value?: number | null; bid: { id: string } }[]): FormValues {
  const v: FormValues = {};
  if (kind === 'APPROVAL' || kind === 'KNAPSACK') v.bid = lines.map((l) => l.bid.id);
  for (const l of lines) {
    if (kind === 'RANKED') v[`rank-${l.bid.id}`] = String(l.position);
    if (kind === 'SCORING') v[`score-${l.bid.id}`] = String(l.value ?? '');
    if (kind === 'POINTS_ALLOCATION') v[`amount-${l.bid.id}`] = String(l.value ?? '');
    if (kind === 'MONEY_ALLOCATION') v[`amount-${l.bid.id}`] = penceToInput(l.value ?? 0);
  }
  return v;
}

/** Only the ballot's own fields, as posted. */
function formFromBody(body: unknown, bids: BallotBid[]): FormValues {
  const b = (body ?? {}) as Record<string, unknown>;
  const v: FormValues = {};
  const chosen = b.bid;
  if (typeof chosen === 'string') v.bid = [chosen];
  else if (Array.isArray(chosen)) v.bid = chosen.filter((x): x is string => typeof x === 'string');
  for (const bid of bids) {
    for (const k of [`rank-${bid.id}`, `score-${bid.id}`, `amount-${bid.id}`]) {
      const x = str(body, k);
      if (x !== '') v[k] = x;
    }
  }
  return v;
}

function problemErrors(t: Dictionary, lang: string, problems: BallotProblem[], c: BallotContext): FormErrors {
  const errors = new FormErrors();
  const title = (id: string) => c.bids.find((b) => b.id === id)?.title ?? '';
  const first = c.bids[0]?.id ?? '';
  const whole = c.rules.kind === 'APPROVAL' || c.rules.kind === 'KNAPSACK' ? 'bid' : c.rules.kind === 'RANKED' ? `rank-${first}` : c.rules.kind === 'SCORING' ? `score-${first}` : `amount-${first}`;
  for (const p of problems) {
    switch (p.code) {
      case 'TOO_FEW':
        errors.add(whole, fmt(t.vote.errorTooFew, { min: p.min }));
        break;
      case 'TOO_MANY':
        errors.add(whole, fmt(t.vote.errorTooMany, { max: p.max }));
        break;
      case 'OVER_BUDGET':
        errors.add(whole, fmt(t.vote.over, { over: formatPence(p.overPence, lang) }));
        break;
      case 'OVER_TOTAL':
        errors.add(whole, c.rules.kind === 'MONEY_ALLOCATION' ? fmt(t.vote.moneyOver, { over: formatPence(p.over, lang) }) : plural(lang, t.vote.pointsOver, p.over));
        break;
      case 'RANK_REPEATED':
        errors.add(whole, t.vote.errorRankRepeated);
        break;
      case 'RANK_GAP':
        errors.add(whole, t.vote.errorRankGap);
        break;
      case 'SCORE_MISSING':
        errors.add(`score-${p.bid}`, fmt(t.vote.errorScore, { title: title(p.bid) }));
        break;
      case 'NOT_A_NUMBER':
        errors.add(`amount-${p.bid}`, fmt(t.vote.errorAmount, { title: title(p.bid) }));
        break;
      case 'OVER_PER_BID':
        errors.add(`amount-${p.bid}`, fmt(t.vote.errorPerBid, { title: title(p.bid), max: p.max }));
        break;
    }
  }
  return errors;
}

/** The texts the ballot page shows about totals, computed on the server. */
function summaryTexts(t: Dictionary, lang: string, c: BallotContext, reading: BallotReading) {
  const r = c.rules;
  const out: Record<string, string> = {};
  if (reading.picksLeft !== null) out.picksLeft = reading.picksLeft > 0 ? plural(lang, t.vote.picksLeft, reading.picksLeft) : t.vote.noPicksLeft;
  if (r.kind === 'KNAPSACK') {
    out.total = fmt(t.vote.total, { used: formatPence(reading.used, lang), budget: formatPence(r.potPence, lang), left: formatPence(Math.max(0, reading.left), lang) });
    out.over = reading.left < 0 ? fmt(t.vote.over, { over: formatPence(-reading.left, lang) }) : '';
  }
  if (r.kind === 'POINTS_ALLOCATION') out.left = reading.left >= 0 ? plural(lang, t.vote.pointsLeft, reading.left) : plural(lang, t.vote.pointsOver, -reading.left);
  if (r.kind === 'MONEY_ALLOCATION') out.left = reading.left >= 0 ? fmt(t.vote.moneyLeft, { left: formatPence(reading.left, lang) }) : fmt(t.vote.moneyOver, { over: formatPence(-reading.left, lang) });
  return out;
}

function renderBallot(req: Request, res: Response, c: BallotContext, form: FormValues, opts: { errors?: FormErrors; notice?: string } = {}) {
  const t = res.locals.t as Dictionary;
  const reading = readBallot(c.rules, c.bids, form);
  const rankOptions = c.bids.map((_, i) => ({ value: String(i + 1), text: ordinal(i + 1, req.lang) }));
  // Ranked ballots list ranked bids first, in order.
  const bids =
    c.rules.kind === 'RANKED'
      ? [...c.bids].sort((a, b) => {
          const ra = Number(form[`rank-${a.id}`] || 1e9);
          const rb = Number(form[`rank-${b.id}`] || 1e9);
          return ra - rb;
        })
      : c.bids;
  res.status(opts.errors?.any ? 400 : 200).render('pages/vote', {
    pageTitle: t.ballotKinds[c.rules.kind],
    ...c,
    bids,
    form,
    chosen: Array.isArray(form.bid) ? form.bid : [],
    reading,
    texts: summaryTexts(t, req.lang, c, reading),
    rankOptions,
    scale: Array.from({ length: (c.rules.scoreMax ?? 5) - (c.rules.scoreMin ?? 0) + 1 }, (_, i) => (c.rules.scoreMin ?? 0) + i),
    errors: opts.errors,
    notice: opts.notice,
    mainLang: c.staff ? 'en' : undefined,
    backLink: c.staff ? `/officer/rounds/${c.round.id}` : `/rounds/${c.round.id}`,
  });
}

function checkLines(t: Dictionary, lang: string, c: BallotContext, reading: BallotReading) {
  const title = (id: string) => c.bids.find((b) => b.id === id)?.title ?? id;
  const k = c.rules.kind;
  if (k === 'APPROVAL' || k === 'KNAPSACK') return reading.choice.bids.map((id) => ({ key: title(id), value: formatPence(c.bids.find((b) => b.id === id)?.costPence ?? 0, lang) }));
  if (k === 'RANKED') return reading.choice.bids.map((id, i) => ({ key: ordinal(i + 1, lang), value: title(id) }));
  if (k === 'MONEY_ALLOCATION') return Object.entries(reading.choice.amounts).map(([id, v]) => ({ key: title(id), value: formatPence(v, lang) }));
  return Object.entries(reading.choice.amounts).map(([id, v]) => ({ key: title(id), value: String(v) }));
}

/** The ballot as the API takes it. */
function choicesFor(c: BallotContext, reading: BallotReading) {
  const k = c.rules.kind;
  if (k === 'APPROVAL' || k === 'KNAPSACK' || k === 'RANKED') return reading.choice.bids.map((bidId) => ({ bidId }));
  return Object.entries(reading.choice.amounts).map(([bidId, value]) => ({ bidId, value }));
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
  res.render('pages/vote-check', {
    pageTitle: t.vote.checkTitle,
    ...c,
    lines: checkLines(t, req.lang, c, reading),
    hidden: Object.entries(form).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x]) : [[k, v]])),
    // One key per ballot: sending the same page twice gets the same receipt.
    idempotencyKey: randomUUID(),
    mainLang: c.staff ? 'en' : undefined,
  });
}

async function handleConfirm(req: Request, res: Response, c: BallotContext) {
  const t = res.locals.t as Dictionary;
  const form = formFromBody(req.body, c.bids);
  const reading = readBallot(c.rules, c.bids, form);
  if (reading.problems.length) {
    renderBallot(req, res, c, form, { errors: problemErrors(t, req.lang, reading.problems, c) });
    return;
  }
  const idempotencyKey = str(req.body, 'idempotencyKey') || randomUUID();
  try {
    const cast = c.staff
      ? (await req.api.request(CastAssistedBallotDocument, { input: { roundId: c.round.id, verificationId: c.staff.verificationId, channel: c.staff.channel, choices: choicesFor(c, reading), idempotencyKey } }, ctx(req))).castAssistedBallot
      : (await req.api.request(CastBallotDocument, { input: { roundId: c.round.id, choices: choicesFor(c, reading), idempotencyKey } }, ctx(req))).castBallot;
    res.render('pages/vote-done', { pageTitle: t.vote.doneTitle, ...c, cast, mainLang: c.staff ? 'en' : undefined });
  } catch (e) {
    if (!(e instanceof ApiError) || e.code === 'INTERNAL' || e.code === 'UNAUTHENTICATED') throw e;
    const errors = new FormErrors();
    const first = c.bids[0]?.id ?? '';
    const field = c.rules.kind === 'APPROVAL' || c.rules.kind === 'KNAPSACK' ? 'bid' : c.rules.kind === 'RANKED' ? `rank-${first}` : c.rules.kind === 'SCORING' ? `score-${first}` : `amount-${first}`;
    errors.add(field, t.api[e.code] ?? e.errors[0]?.message ?? e.code);
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
  };
  return { c, data };
}

function loadVotePage(req: Request) {
  return req.api.request(VotePageDocument, { roundId: String(req.params.id) }, ctx(req));
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

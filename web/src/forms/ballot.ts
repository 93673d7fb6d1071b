// A ballot form (every kind): the form's values from a stored ballot or a
// posted form, what is wrong with them in the page's language, and the
// ballot as the API takes it. Pure; lib/ballot.ts reads the choices.
import type { BallotKind, OfficerChannel } from '../graphql/generated/graphql.js';
import { fmt, plural, type Dictionary } from '../i18n/index.js';
import type { BallotProblem, BallotReading, BallotRules } from '../lib/ballot.js';
import { FormErrors, str } from '../lib/forms.js';
import { formatPence, penceToInput } from '../lib/money.js';

export interface BallotBid {
  id: string;
  title: string;
  summary: string;
  costPence: number;
  group: { name: string };
}

export interface BallotContext {
  round: { id: string; title: string };
  area: { id: string; name: string };
  rules: BallotRules;
  bids: BallotBid[];
  /** Where the ballot form posts, and where the check page's "Send" posts. */
  action: string;
  confirmAction: string;
  /** Staff pages are in English. */
  staff?: { channel: OfficerChannel; verificationId: string };
  /** When voting closes, for the resident's pages. */
  votingClosesAt?: string | null;
}

export type FormValues = Record<string, string | string[]>;

/** The form's fields for a stored ballot, so "change your vote" starts from it. */
export function formFromLines(kind: BallotKind, lines: { position: number; value?: number | null; bid: { id: string } }[]): FormValues {
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
export function formFromBody(body: unknown, bids: BallotBid[]): FormValues {
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

/** The field a whole-ballot error goes beside: the first choice of the ballot's kind. */
export function wholeBallotField(c: Pick<BallotContext, 'rules' | 'bids'>): string {
  const first = c.bids[0]?.id ?? '';
  const kind = c.rules.kind;
  return kind === 'APPROVAL' || kind === 'KNAPSACK' ? 'bid' : kind === 'RANKED' ? `rank-${first}` : kind === 'SCORING' ? `score-${first}` : `amount-${first}`;
}

/** What is wrong with a ballot, each beside the field it is about, in the page's language. */
export function problemErrors(t: Dictionary, lang: string, problems: BallotProblem[], c: BallotContext): FormErrors {
  const errors = new FormErrors();
  const title = (id: string) => c.bids.find((b) => b.id === id)?.title ?? '';
  const whole = wholeBallotField(c);
  for (const p of problems) {
    switch (p.code) {
      case 'BLANK':
        errors.add(whole, c.rules.kind === 'POINTS_ALLOCATION' ? t.vote.errorBlankPoints : c.rules.kind === 'MONEY_ALLOCATION' ? t.vote.errorBlankMoney : t.vote.errorBlank);
        break;
      case 'TOO_FEW':
        errors.add(whole, fmt(t.vote.errorTooFew, { min: p.min }));
        break;
      case 'TOO_MANY':
        errors.add(whole, tooManyText(t, lang, p.count, p.max));
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

/** “You have chosen 4 projects: choose no more than 3”, in the page's language. */
export function tooManyText(t: Dictionary, lang: string, count: number, max: number): string {
  return fmt(plural(lang, t.vote.tooMany, count), { max });
}

/** The ballot as the API takes it. */
export function choicesFor(c: Pick<BallotContext, 'rules'>, reading: BallotReading) {
  const k = c.rules.kind;
  if (k === 'APPROVAL' || k === 'KNAPSACK' || k === 'RANKED') return reading.choice.bids.map((bidId) => ({ bidId }));
  return Object.entries(reading.choice.amounts).map(([bidId, value]) => ({ bidId, value }));
}

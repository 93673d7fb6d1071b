// What a ballot page and its check page show, computed on the server so
// that they work without JavaScript. Pure.
import { fmt, plural, type Dictionary } from '../i18n/index.js';
import { ordinal, type BallotReading } from '../lib/ballot.js';
import { formatPence } from '../lib/money.js';
import { tooManyText, type BallotContext, type FormValues } from '../forms/ballot.js';

/** The texts the ballot page shows about totals, computed on the server. */
export function summaryTexts(t: Dictionary, lang: string, c: BallotContext, reading: BallotReading) {
  const r = c.rules;
  const out: Record<string, string> = {};
  if (reading.picksLeft !== null) {
    const chosen = (r.maxChoices ?? 0) - reading.picksLeft;
    out.picksLeft = reading.picksLeft > 0 ? plural(lang, t.vote.picksLeft, reading.picksLeft) : reading.picksLeft === 0 ? t.vote.noPicksLeft : tooManyText(t, lang, chosen, r.maxChoices ?? 0);
    if (reading.picksLeft < 0) out.tooMany = 'true';
  }
  if (r.kind === 'KNAPSACK') {
    out.total = fmt(t.vote.total, { used: formatPence(reading.used, lang), budget: formatPence(r.potPence, lang), left: formatPence(Math.max(0, reading.left), lang) });
    out.over = reading.left < 0 ? fmt(t.vote.over, { over: formatPence(-reading.left, lang) }) : '';
  }
  if (r.kind === 'POINTS_ALLOCATION') out.left = reading.left >= 0 ? plural(lang, t.vote.pointsLeft, reading.left) : plural(lang, t.vote.pointsOver, -reading.left);
  if (r.kind === 'MONEY_ALLOCATION') out.left = reading.left >= 0 ? fmt(t.vote.moneyLeft, { left: formatPence(reading.left, lang) }) : fmt(t.vote.moneyOver, { over: formatPence(-reading.left, lang) });
  return out;
}

/** The check page's rows: each choice, with its cost, rank or amount. */
export function checkLines(t: Dictionary, lang: string, c: BallotContext, reading: BallotReading) {
  const title = (id: string) => c.bids.find((b) => b.id === id)?.title ?? id;
  const k = c.rules.kind;
  if (k === 'APPROVAL' || k === 'KNAPSACK') return reading.choice.bids.map((id) => ({ key: title(id), value: formatPence(c.bids.find((b) => b.id === id)?.costPence ?? 0, lang) }));
  if (k === 'RANKED') return reading.choice.bids.map((id, i) => ({ key: ordinal(i + 1, lang), value: title(id) }));
  if (k === 'MONEY_ALLOCATION') return Object.entries(reading.choice.amounts).map(([id, v]) => ({ key: title(id), value: formatPence(v, lang) }));
  return Object.entries(reading.choice.amounts).map(([id, v]) => ({ key: title(id), value: String(v) }));
}

/** The bids in the order the page lists them: a ranked ballot's ranked bids first, in order. */
export function bidsInOrder(c: Pick<BallotContext, 'rules' | 'bids'>, form: FormValues) {
  if (c.rules.kind !== 'RANKED') return c.bids;
  return [...c.bids].sort((a, b) => {
    const ra = Number(form[`rank-${a.id}`] || 1e9);
    const rb = Number(form[`rank-${b.id}`] || 1e9);
    return ra - rb;
  });
}

/** The scores a scoring ballot offers, lowest first. */
export function scoreScale(rules: BallotContext['rules']): number[] {
  return Array.from({ length: (rules.scoreMax ?? 5) - (rules.scoreMin ?? 0) + 1 }, (_, i) => (rules.scoreMin ?? 0) + i);
}

/** The form's hidden fields on the check page: every posted value again. */
export function hiddenFields(form: FormValues): string[][] {
  return Object.entries(form).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x]) : [[k, v]]));
}

// Reading a ballot form, for every kind of ballot, on the server: the page
// works without JavaScript, so running totals, picks left and remainders
// are computed here, and the browser's script only shows them sooner.

export type BallotKind = 'APPROVAL' | 'KNAPSACK' | 'RANKED' | 'SCORING' | 'POINTS_ALLOCATION' | 'MONEY_ALLOCATION';

export interface BallotRules {
  kind: BallotKind;
  minChoices?: number | null;
  maxChoices?: number | null;
  scoreMin?: number | null;
  scoreMax?: number | null;
  pointsTotal?: number | null;
  pointsMaxPerBid?: number | null;
  /** The area's pot, in pence: the budget for knapsack and money allocation. */
  potPence: number;
}

export interface BallotBid {
  id: string;
  costPence: number;
}

/** What a voter chose, in a form every kind shares. */
export interface BallotChoice {
  /** Approval and knapsack: the chosen bids. Ranked: the bids in order, first preference first. */
  bids: string[];
  /** Scoring: a score per bid. Points and money: the amount per bid (money in pence). */
  amounts: Record<string, number>;
}

export type BallotProblem =
  | { code: 'TOO_FEW'; min: number }
  | { code: 'BLANK' }
  | { code: 'TOO_MANY'; max: number; count: number }
  | { code: 'OVER_BUDGET'; overPence: number }
  | { code: 'RANK_REPEATED'; rank: number }
  | { code: 'RANK_GAP'; rank: number }
  | { code: 'SCORE_MISSING'; bid: string }
  | { code: 'NOT_A_NUMBER'; bid: string }
  | { code: 'OVER_PER_BID'; bid: string; max: number }
  | { code: 'OVER_TOTAL'; over: number };

export interface BallotReading {
  choice: BallotChoice;
  problems: BallotProblem[];
  /** Knapsack: the chosen bids' cost. Money: the money shared out. Points: the points shared out. */
  used: number;
  /** What is left of the pot or the points (negative when over). */
  left: number;
  /** Approval and knapsack: how many more bids may be chosen (null when there is no limit). */
  picksLeft: number | null;
}

type Form = Record<string, unknown>;

function values(form: Form, key: string): string[] {
  const v = form[key];
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return [];
}

function one(form: Form, key: string): string {
  return (values(form, key)[0] ?? '').trim();
}

/**
 * Reads a posted ballot form. Fields: `bid` (checkboxes) for approval and
 * knapsack; `rank-<id>` (1, 2, 3… or empty) for ranked; `score-<id>` for
 * scoring; `amount-<id>` for points and money (money in pounds).
 */
export function readBallot(rules: BallotRules, bids: readonly BallotBid[], form: Form): BallotReading {
  const known = new Set(bids.map((b) => b.id));
  const problems: BallotProblem[] = [];
  const choice: BallotChoice = { bids: [], amounts: {} };
  let used = 0;
  let budget = 0;
  let picksLeft: number | null = null;

  switch (rules.kind) {
    case 'APPROVAL':
    case 'KNAPSACK': {
      choice.bids = [...new Set(values(form, 'bid'))].filter((id) => known.has(id));
      if (rules.kind === 'KNAPSACK') {
        used = bids.filter((b) => choice.bids.includes(b.id)).reduce((sum, b) => sum + b.costPence, 0);
        budget = rules.potPence;
        if (used > budget) problems.push({ code: 'OVER_BUDGET', overPence: used - budget });
      }
      if (rules.maxChoices != null) picksLeft = rules.maxChoices - choice.bids.length;
      break;
    }
    case 'RANKED': {
      const ranked: { id: string; rank: number }[] = [];
      for (const b of bids) {
        const raw = one(form, `rank-${b.id}`);
        if (!raw) continue;
        const rank = Number(raw);
        if (!Number.isInteger(rank) || rank < 1) continue;
        ranked.push({ id: b.id, rank });
      }
      ranked.sort((a, b) => a.rank - b.rank);
      ranked.forEach((r, i) => {
        if (i > 0 && ranked[i - 1]?.rank === r.rank) problems.push({ code: 'RANK_REPEATED', rank: r.rank });
        else if (r.rank !== i + 1 && !problems.some((p) => p.code === 'RANK_REPEATED')) problems.push({ code: 'RANK_GAP', rank: i + 1 });
      });
      choice.bids = ranked.map((r) => r.id);
      if (rules.maxChoices != null) picksLeft = rules.maxChoices - choice.bids.length;
      break;
    }
    case 'SCORING': {
      const min = rules.scoreMin ?? 0;
      const max = rules.scoreMax ?? 10;
      for (const b of bids) {
        const raw = one(form, `score-${b.id}`);
        const n = Number(raw);
        if (raw === '' || !Number.isInteger(n) || n < min || n > max) problems.push({ code: 'SCORE_MISSING', bid: b.id });
        else choice.amounts[b.id] = n;
      }
      break;
    }
    case 'POINTS_ALLOCATION':
    case 'MONEY_ALLOCATION': {
      const money = rules.kind === 'MONEY_ALLOCATION';
      budget = money ? rules.potPence : (rules.pointsTotal ?? 100);
      for (const b of bids) {
        const raw = one(form, `amount-${b.id}`).replace(/^£/, '').replace(/,/g, '');
        if (raw === '') continue;
        const n = money ? Math.round(Number(raw) * 100) : Number(raw);
        if (!Number.isFinite(n) || n < 0 || (!money && !Number.isInteger(n)) || (money && !/^\d+(\.\d{1,2})?$/.test(raw))) {
          problems.push({ code: 'NOT_A_NUMBER', bid: b.id });
          continue;
        }
        if (n === 0) continue;
        if (!money && rules.pointsMaxPerBid != null && n > rules.pointsMaxPerBid) problems.push({ code: 'OVER_PER_BID', bid: b.id, max: rules.pointsMaxPerBid });
        choice.amounts[b.id] = n;
        used += n;
      }
      if (used > budget) problems.push({ code: 'OVER_TOTAL', over: used - budget });
      choice.bids = Object.keys(choice.amounts);
      break;
    }
  }

  const count = rules.kind === 'SCORING' ? Object.keys(choice.amounts).length : choice.bids.length;
  // As the API counts: a ballot needs a choice unless the round allows none
  // (a minimum of 0 choices); points and money need some shared out.
  const picks = rules.kind === 'APPROVAL' || rules.kind === 'KNAPSACK' || rules.kind === 'RANKED';
  const min = picks ? (rules.minChoices ?? 1) : rules.minChoices;
  if (count === 0 && rules.kind !== 'SCORING' && ((min ?? 0) > 0 || !picks)) {
    if (problems.length === 0) problems.push({ code: 'BLANK' });
  } else if (min != null && count < min) problems.push({ code: 'TOO_FEW', min });
  if (rules.maxChoices != null && count > rules.maxChoices && rules.kind !== 'SCORING') problems.push({ code: 'TOO_MANY', max: rules.maxChoices, count });
  return { choice, problems, used, left: budget - used, picksLeft };
}

const ORDINAL_SUFFIX: Record<string, Partial<Record<Intl.LDMLPluralRule, string>>> = {
  en: { one: 'st', two: 'nd', few: 'rd', other: 'th' },
  // Welsh ordinals as written with figures: 1af, 2il, 3ydd, 4ydd, 5ed, 6ed, 7fed…
  cy: { zero: 'fed', one: 'af', two: 'il', few: 'ydd', many: 'ed', other: 'fed' },
};
const ORDINALS = new Map<string, Intl.PluralRules>();

/** 1 → `1st` (English) or `1af` (Welsh). */
export function ordinal(n: number, lang = 'en'): string {
  let rules = ORDINALS.get(lang);
  if (!rules) {
    rules = new Intl.PluralRules(lang, { type: 'ordinal' });
    ORDINALS.set(lang, rules);
  }
  const suffixes = ORDINAL_SUFFIX[lang] ?? ORDINAL_SUFFIX.en ?? {};
  return `${n}${suffixes[rules.select(n)] ?? suffixes.other ?? ''}`;
}

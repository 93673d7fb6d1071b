// What the rule simulator's page shows for each pot, built from the API's
// Simulation: the rules side by side (bids funded, money spent, voters with
// a funded choice, money per voter), each bid with the rules that fund it,
// and money per category and area against the vote share. Pure; its words
// are in the page's language (the dictionaries' `simulator`).
import type { CountConstraintsFieldsFragment, SimulateCountQuery } from '../graphql/generated/graphql.js';
import { en, fmt, plural, type Dictionary } from '../i18n/index.js';
import { shareChart } from '../lib/chart.js';
import { formatPence } from '../lib/money.js';

type Pot = SimulateCountQuery['simulateCount']['pots'][number];
type Outcome = Pot['outcomes'][number];

const PERCENT = new Map<string, Intl.NumberFormat>();

/** 0.3456 → "34.6%". */
export function percent(share: number, lang = 'en'): string {
  let f = PERCENT.get(lang);
  if (!f) {
    f = new Intl.NumberFormat(lang === 'cy' ? 'cy-GB' : 'en-GB', { style: 'percent', maximumFractionDigits: 1 });
    PERCENT.set(lang, f);
  }
  return f.format(Number.isFinite(share) ? share : 0);
}

/** A rule's council rules in a few words, for the tables: "at most 30% of the pot for transport; bids need 3 votes". */
export function councilRulesInWords(c: CountConstraintsFieldsFragment | null | undefined, areaName: (key: string) => string = (k) => k, t: Dictionary = en): string {
  if (!c) return '';
  const w = t.simulator.inWords;
  const limit = (l: { pence?: number | null; share?: string | null }) => (l.share ? fmt(w.shareOfPot, { share: l.share }) : formatPence(l.pence ?? 0, t.lang));
  const parts: string[] = [];
  for (const l of c.categoryMax) parts.push(fmt(w.atMost, { limit: limit(l), key: l.key }));
  for (const l of c.categoryMin) parts.push(fmt(w.atLeast, { limit: limit(l), key: l.key }));
  for (const l of c.areaMax) parts.push(fmt(w.atMost, { limit: limit(l), key: areaName(l.key) }));
  for (const l of c.areaMin) parts.push(fmt(w.atLeast, { limit: limit(l), key: areaName(l.key) }));
  if (typeof c.minVotes === 'number') parts.push(plural(t.lang, w.leastVotes, c.minVotes));
  if (c.minShare) parts.push(fmt(w.leastShare, { share: c.minShare }));
  for (const s of c.exclusive) parts.push(fmt(w.oneOf, { bids: s.join(', ') }));
  if (c.mustFund.length) parts.push(fmt(w.fundedFirst, { bids: c.mustFund.join(', ') }));
  return parts.join(w.separator);
}

export interface RuleColumn {
  /** "1. greedy": the rule's number on the form and its name. */
  label: string;
  rule: string;
  /** The council rules it counted with, in a few words; empty when none. */
  constraints: string;
  error: string | null;
  fundedCount: number;
  spentPence: number;
  spentShare: string;
  voters: number;
  votersShare: string;
  averagePence: number;
}

export interface ShareRow {
  key: string;
  label: string;
  voteShare: number;
  voteShareText: string;
  /** One per rule, in order; null for a rule that could not count. */
  rules: ({ pence: number; share: number; shareText: string } | null)[];
}

/** Money and votes per category (or area) under each rule: every key any rule gives, in the order first given. */
function shareRows(outcomes: Outcome[], pick: (o: Outcome) => Outcome['byCategory'], lang: string): ShareRow[] {
  const keys: { key: string; label: string; voteShare: number }[] = [];
  for (const o of outcomes) {
    for (const m of pick(o)) if (!keys.some((k) => k.key === m.key)) keys.push({ key: m.key, label: m.label, voteShare: m.voteShare });
  }
  return keys.map((k) => ({
    ...k,
    voteShareText: percent(k.voteShare, lang),
    rules: outcomes.map((o) => {
      if (o.error) return null;
      const m = pick(o).find((x) => x.key === k.key);
      return { pence: m?.pence ?? 0, share: m?.moneyShare ?? 0, shareText: percent(m?.moneyShare ?? 0, lang) };
    }),
  }));
}

/**
 * One pot's comparison; `slots` are the form's numbers of the rules asked
 * for, in order; `areaName` names an area limit's key; `t` words it.
 */
export function simulatedPot(pot: Pot, slots: number[], areaName: (key: string) => string = (k) => k, t: Dictionary = en) {
  const share = (part: number, whole: number) => (whole > 0 ? part / whole : 0);
  const rules: RuleColumn[] = pot.outcomes.map((o, i) => ({
    label: `${slots[i] ?? i + 1}. ${o.rule}`,
    rule: o.rule,
    constraints: councilRulesInWords(o.constraints, areaName, t),
    error: o.error ?? null,
    fundedCount: o.funded.length,
    spentPence: o.spentPence,
    spentShare: percent(share(o.spentPence, pot.budgetPence), t.lang),
    voters: o.votersWithFundedChoice,
    votersShare: percent(share(o.votersWithFundedChoice, pot.voters), t.lang),
    averagePence: o.averagePencePerVoter,
  }));
  const bids = [...pot.bids]
    .sort((a, b) => b.votes - a.votes || a.costPence - b.costPence)
    .map((b) => ({ ...b, areas: b.areas.map(areaName), funded: pot.outcomes.map((o) => (o.error ? 'not counted' : o.funded.includes(b.id) ? 'funded' : 'not funded')) }));
  const categories = shareRows(pot.outcomes, (o) => o.byCategory, t.lang);
  const areas = shareRows(pot.outcomes, (o) => o.byArea, t.lang);
  return { name: pot.name, budgetPence: pot.budgetPence, voters: pot.voters, rules, bids, categories, areas, chart: shareChart(categories, rules, t) };
}

/** Every pot's comparison, in `t`'s language. */
export function simulationView(data: SimulateCountQuery['simulateCount'], slots: number[], areaName?: (key: string) => string, t: Dictionary = en) {
  return data.pots.map((p) => simulatedPot(p, slots, areaName, t));
}

// What the rule simulator's page shows for each pot, built from the API's
// Simulation: the rules side by side (bids funded, money spent, voters with
// a funded choice, money per voter), each bid with the rules that fund it,
// and money per category and area against the vote share. Pure.
import type { SimulateCountQuery } from '../graphql/generated/graphql.js';
import { constraintsSummary } from '../forms/constraints.js';
import { shareChart } from '../lib/chart.js';

type Pot = SimulateCountQuery['simulateCount']['pots'][number];
type Outcome = Pot['outcomes'][number];

const PERCENT = new Intl.NumberFormat('en-GB', { style: 'percent', maximumFractionDigits: 1 });

/** 0.3456 → "34.6%". */
export function percent(share: number): string {
  return PERCENT.format(Number.isFinite(share) ? share : 0);
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
function shareRows(outcomes: Outcome[], pick: (o: Outcome) => Outcome['byCategory']): ShareRow[] {
  const keys: { key: string; label: string; voteShare: number }[] = [];
  for (const o of outcomes) {
    for (const m of pick(o)) if (!keys.some((k) => k.key === m.key)) keys.push({ key: m.key, label: m.label, voteShare: m.voteShare });
  }
  return keys.map((k) => ({
    ...k,
    voteShareText: percent(k.voteShare),
    rules: outcomes.map((o) => {
      if (o.error) return null;
      const m = pick(o).find((x) => x.key === k.key);
      return { pence: m?.pence ?? 0, share: m?.moneyShare ?? 0, shareText: percent(m?.moneyShare ?? 0) };
    }),
  }));
}

/** One pot's comparison; `slots` are the form's numbers of the rules asked for, in order; `areaName` names an area limit's key. */
export function simulatedPot(pot: Pot, slots: number[], areaName: (key: string) => string = (k) => k) {
  const share = (part: number, whole: number) => (whole > 0 ? part / whole : 0);
  const rules: RuleColumn[] = pot.outcomes.map((o, i) => ({
    label: `${slots[i] ?? i + 1}. ${o.rule}`,
    rule: o.rule,
    constraints: constraintsSummary(o.constraints, areaName),
    error: o.error ?? null,
    fundedCount: o.funded.length,
    spentPence: o.spentPence,
    spentShare: percent(share(o.spentPence, pot.budgetPence)),
    voters: o.votersWithFundedChoice,
    votersShare: percent(share(o.votersWithFundedChoice, pot.voters)),
    averagePence: o.averagePencePerVoter,
  }));
  const bids = [...pot.bids]
    .sort((a, b) => b.votes - a.votes || a.costPence - b.costPence)
    .map((b) => ({ ...b, areas: b.areas.map(areaName), funded: pot.outcomes.map((o) => (o.error ? 'not counted' : o.funded.includes(b.id) ? 'funded' : 'not funded')) }));
  const categories = shareRows(pot.outcomes, (o) => o.byCategory);
  const areas = shareRows(pot.outcomes, (o) => o.byArea);
  return { name: pot.name, budgetPence: pot.budgetPence, voters: pot.voters, rules, bids, categories, areas, chart: shareChart(categories, rules) };
}

/** Every pot's comparison. */
export function simulationView(data: SimulateCountQuery['simulateCount'], slots: number[], areaName?: (key: string) => string) {
  return data.pots.map((p) => simulatedPot(p, slots, areaName));
}

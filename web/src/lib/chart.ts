// The bars of a pot's results chart: one per bid on the ballot, funded
// first (in the order the count funded them), then the rest. Widths are
// whole percentages, so that the stylesheet can draw them with classes
// (the Content-Security-Policy allows no inline style).
import { en, fmt, type Dictionary } from '../i18n/index.js';

export interface ChartPot {
  budgetPence: number;
  funded: { bid: { id: string; title: string; titleCy?: string | null }; amountPence: number; votes: number }[];
  unfunded: { id: string; title: string; titleCy?: string | null; costPence: number }[];
  unfundedBids?: { bid: { id: string }; votes: number }[];
}

export interface ChartBar {
  id: string;
  title: string;
  /** The title in Welsh, where its group gave one. */
  titleCy: string | null;
  funded: boolean;
  votes: number;
  /** What it was given if funded, what it asked for if not. */
  moneyPence: number;
  /** Width of the votes bar: a share of the most votes any bid had. */
  votesWidth: number;
  /** Width of the money bar: a share of the pot. */
  moneyWidth: number;
}

/** A whole percentage; anything above zero shows at least 1%. */
export function width(value: number, of: number): number {
  if (!(of > 0) || !(value > 0)) return 0;
  return Math.min(100, Math.max(1, Math.round((value / of) * 100)));
}

export function potChart(pot: ChartPot): ChartBar[] {
  const votesOf = new Map((pot.unfundedBids ?? []).map((u) => [u.bid.id, u.votes]));
  const bars = [
    ...pot.funded.map((f) => ({ id: f.bid.id, title: f.bid.title, titleCy: f.bid.titleCy ?? null, funded: true, votes: f.votes, moneyPence: f.amountPence })),
    ...pot.unfunded.map((b) => ({ id: b.id, title: b.title, titleCy: b.titleCy ?? null, funded: false, votes: votesOf.get(b.id) ?? 0, moneyPence: b.costPence })),
  ];
  const most = Math.max(0, ...bars.map((b) => b.votes));
  return bars.map((b) => ({ ...b, votesWidth: width(b.votes, most), moneyWidth: width(b.moneyPence, pot.budgetPence) }));
}

// The rule simulator's chart: for each category (or area), the share of
// the votes its bids got, then the share of the money each rule gave them,
// so that a rule's fairness to each category shows at a glance. The bars'
// words are in the page's language (the dictionaries' `simulator`).

export interface ShareChartRow {
  label: string;
  /** 0 to 1. */
  voteShare: number;
  voteShareText: string;
  /** One per rule, in order; null for a rule that could not count. */
  rules: ({ share: number; shareText: string } | null)[];
}

export interface ShareChartGroup {
  label: string;
  bars: { label: string; kind: 'votes' | 'money'; text: string; width: number }[];
}

export function shareChart(rows: ShareChartRow[], rules: { label: string }[], t: Dictionary = en): ShareChartGroup[] {
  const s = t.simulator;
  return rows.map((row) => ({
    label: row.label,
    bars: [
      { label: s.chartVoteShare, kind: 'votes' as const, text: row.voteShareText, width: width(row.voteShare, 1) },
      ...rules.flatMap((rule, i) => {
        const cell = row.rules[i];
        return cell ? [{ label: fmt(s.chartMoneyShare, { rule: rule.label }), kind: 'money' as const, text: cell.shareText, width: width(cell.share, 1) }] : [];
      }),
    ],
  }));
}

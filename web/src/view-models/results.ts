// What the results pages show, built from the API's result. Pure.
import type { RoundResultFieldsFragment } from '../graphql/generated/graphql.js';

/** The files of a published version, besides each pot's, in the order the page lists them. */
export const BUNDLE_FILES = ['round.json', 'config.json', 'commitments.txt', 'audit.jsonl'] as const;

/** `/rounds/2/results/v1/bundle.tar` → `/rounds/2/results/v1/`. */
export function folderOf(url: string): string {
  return url.slice(0, url.lastIndexOf('/') + 1);
}

/** `/rounds/2/results/v1/pot-3.pb` → `3`. */
export function potIdOf(ballotsUrl: string): string | null {
  return /\/pot-(\d+)\.pb$/.exec(ballotsUrl)?.[1] ?? null;
}

/** `?version=2` → 2; absent → null; anything else → undefined (no such page). */
export function versionParam(q: unknown): number | null | undefined {
  if (q === undefined || q === '') return null;
  if (typeof q !== 'string' || !/^[1-9]\d{0,5}$/.test(q)) return undefined;
  return Number(q);
}

/** What a results page needs besides the result: the files and the versions. */
export function resultView(result: RoundResultFieldsFragment) {
  const folder = result.bundleUrl ? folderOf(result.bundleUrl) : null;
  return {
    result,
    files: folder ? BUNDLE_FILES.map((name) => ({ name, href: folder + name })) : [],
    resultPots: result.pots.map((p) => ({ ...p, potId: potIdOf(p.ballotsUrl) })),
  };
}

/** The versions published so far, newest first, and which is the latest. */
export function publishedVersions<V extends { version: number; publishedAt?: string | null }>(versions: V[], shown: number) {
  const published = versions.filter((v) => v.publishedAt).sort((a, b) => b.version - a.version);
  const latest = published[0]?.version ?? shown;
  return { versions: published, latest, isLatest: shown === latest };
}

/** Why a bid on the ballot was not funded, by the counting rule; '' when the page cannot say. */
export function whyNotFunded(rule: string | null | undefined, votes: number, w: { whyMes: string; whyGreedy: string; whyNoVotes: string }): string {
  if (votes === 0) return w.whyNoVotes;
  if (!rule) return '';
  if (rule.startsWith('mes')) return w.whyMes;
  if (rule.startsWith('greedy')) return w.whyGreedy;
  return '';
}

/**
 * A published result's pots as residents read them: for each bid not
 * funded its votes and why, when the rule says (money left over but a bid
 * not funded is the question people ask). The explanation is the API's,
 * written in plain words in the page's language.
 */
export function residentPots<P extends { unfunded: { id: string }[]; unfundedBids?: { bid: { id: string }; votes: number }[] }>(
  pots: P[],
  rule: string | null | undefined,
  w: { whyMes: string; whyGreedy: string; whyNoVotes: string },
) {
  return pots.map((p) => {
    const votesOf = new Map((p.unfundedBids ?? []).map((u) => [u.bid.id, u.votes]));
    return {
      ...p,
      unfunded: p.unfunded.map((b) => ({ ...b, votes: votesOf.get(b.id) ?? 0, why: whyNotFunded(rule, votesOf.get(b.id) ?? 0, w) })),
    };
  });
}

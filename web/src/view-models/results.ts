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

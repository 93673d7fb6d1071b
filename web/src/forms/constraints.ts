// Council rules in the count, as officers type them: limits on the money
// the bids of a category or an area may receive (pounds, or a share of the
// pot), the least support a bid needs (votes, or a share of the voters),
// sets of bids of which at most one may be funded, and bids funded first.
// Pure: each reader takes what was typed and gives the API's value or what
// is wrong with it. The round form (forms/rounds.ts) and the rule simulator
// (forms/simulation.ts) share them.
import type { CountConstraintsFieldsFragment, CountConstraintsInput, SpendingLimitInput } from '../graphql/generated/graphql.js';
import { parsePounds, penceToInput } from '../lib/money.js';

/** What a reader gives: the value, or the error to show beside the field. */
export type Read<T> = { value: T; error?: undefined } | { value?: undefined; error: string };

/** A limit without its key: pence (whole pounds) or a share of the pot, like "30%". */
export type Limit = Omit<SpendingLimitInput, 'key'>;

export const LIMIT_ERROR = 'Enter whole pounds, like 5000, or a share of the pot, like 30%';
const LEAST_VOTES_ERROR = 'Enter a number of votes, like 20, or a share of the voters, like 5%';
/** Most votes the API takes as a whole number (GraphQL's Int). */
const MAX_INT = 2_147_483_647;

/**
 * A share as the API writes it: "30%", "12.5%" (at most six decimals, at
 * most 100%), or null when the text is not one. "12.50 %" → "12.5%".
 */
export function readShare(text: string): string | null {
  const m = /^(\d{1,3})(?:\.(\d{1,6}))?\s*%$/.exec(text.trim());
  if (!m) return null;
  const whole = Number(m[1]);
  const frac = (m[2] ?? '').replace(/0+$/, '');
  if (whole > 100 || (whole === 100 && frac !== '')) return null;
  return `${whole}${frac ? `.${frac}` : ''}%`;
}

/** A share as a number from 0 to 100, for comparing two of them. */
function shareValue(share: string): number {
  return Number(share.slice(0, -1));
}

/** A limit typed as pounds ("5000", "£5,000") or a share ("30%"); null when empty. */
export function readLimit(text: string): Read<Limit | null> {
  const s = text.trim();
  if (s === '') return { value: null };
  if (s.endsWith('%')) {
    const share = readShare(s);
    return share ? { value: { pence: null, share } } : { error: LIMIT_ERROR };
  }
  const pence = parsePounds(s);
  // The results files write money in whole pounds.
  if (pence === null || pence % 100 !== 0) return { error: LIMIT_ERROR };
  return { value: { pence, share: null } };
}

/** A limit as the form shows it: "5000" or "30%". */
export function limitText(limit: { pence?: number | null; share?: string | null }): string {
  if (limit.share) return limit.share;
  return limit.pence === null || limit.pence === undefined ? '' : penceToInput(limit.pence);
}

/** Whether a minimum is above its maximum, when both are amounts or both shares. */
export function minAboveMax(min: Limit, max: Limit): boolean {
  if (typeof min.pence === 'number' && typeof max.pence === 'number') return min.pence > max.pence;
  if (min.share && max.share) return shareValue(min.share) > shareValue(max.share);
  return false;
}

/** The least support a bid needs: a number of votes ("20") or a share of the voters ("5%"); neither when empty. */
export function readLeastVotes(text: string): Read<Pick<CountConstraintsInput, 'minVotes' | 'minShare'>> {
  const s = text.trim();
  if (s === '') return { value: { minVotes: null, minShare: null } };
  if (/^\d+$/.test(s) && Number(s) <= MAX_INT) return { value: { minVotes: Number(s), minShare: null } };
  const share = s.endsWith('%') ? readShare(s) : null;
  return share ? { value: { minVotes: null, minShare: share } } : { error: LEAST_VOTES_ERROR };
}

/** The least support as the form shows it. */
export function leastVotesText(c: { minVotes?: number | null; minShare?: string | null }): string {
  return c.minShare ?? (typeof c.minVotes === 'number' ? String(c.minVotes) : '');
}

/** How bid ids are written: a round's bids are numbers; a file's projects may be named anything without spaces or commas. */
export type IdKind = 'number' | 'name';

function idOk(id: string, kind: IdKind): boolean {
  return kind === 'number' ? /^\d{1,18}$/.test(id) : /^[^\s,;]{1,100}$/.test(id);
}

function splitIds(text: string): string[] {
  return text.split(/[\s,;]+/).filter(Boolean);
}

/** Bid ids separated by commas (or spaces), each named once. */
export function readIds(text: string, kind: IdKind): Read<string[]> {
  const ids = splitIds(text);
  const bad = ids.find((id) => !idOk(id, kind));
  if (bad !== undefined) return { error: kind === 'number' ? `Enter bid numbers separated by commas, like 12, 15: “${bad}” is not a bid number` : `“${bad}” is not a project id` };
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  if (twice !== undefined) return { error: `Bid ${twice} is named twice` };
  return { value: ids };
}

/** Sets of bids of which at most one may be funded: one set a line, ids separated by commas. */
export function readExclusiveSets(text: string, kind: IdKind): Read<string[][]> {
  const sets: string[][] = [];
  const lines = text.split(/\r?\n/);
  for (const [i, line] of lines.entries()) {
    if (line.trim() === '') continue;
    // "Line 2: …" when there are several lines; a sentence of its own when there is one.
    const several = lines.filter((l) => l.trim() !== '').length > 1;
    const error = (text: string) => ({ error: several ? `Line ${i + 1}: ${text}` : text.charAt(0).toUpperCase() + text.slice(1) });
    const ids = splitIds(line);
    const bad = ids.find((id) => !idOk(id, kind));
    if (bad !== undefined) return error(`${kind === 'number' ? `“${bad}” is not a bid number` : `“${bad}” is not a project id`}; write one set a line, like 12, 15`);
    if (ids.length < 2) return error('a set needs at least two bids, separated by commas, like 12, 15');
    const seen = sets.flat();
    const twice = ids.find((id, j) => ids.indexOf(id) !== j || seen.includes(id));
    if (twice !== undefined) return error(`bid ${twice} is in more than one set, or twice in one`);
    sets.push(ids);
  }
  return { value: sets };
}

/** Sets as the form shows them: one a line. */
export function setsText(sets: readonly (readonly string[])[]): string {
  return sets.map((s) => s.join(', ')).join('\n');
}

/**
 * Limits keyed by a category or an area, one a line: "transport: 30%",
 * "young people = 5000". The key is everything before the last colon or
 * equals sign.
 */
export function readKeyedLimits(text: string, what: 'category' | 'area'): Read<SpendingLimitInput[]> {
  const limits: SpendingLimitInput[] = [];
  const lines = text.split(/\r?\n/);
  for (const [i, line] of lines.entries()) {
    if (line.trim() === '') continue;
    const m = /^(.*)[:=](.*)$/.exec(line);
    const key = m?.[1]?.trim() ?? '';
    const read = readLimit(m?.[2] ?? '');
    if (!m || key === '' || read.error !== undefined || read.value === null) {
      return { error: `Line ${i + 1}: write the ${what}, a colon and the limit, like ${what === 'category' ? 'transport' : 'Headingley'}: 30% or ${what === 'category' ? 'transport' : 'Headingley'}: 5000` };
    }
    if (limits.some((l) => l.key === key)) return { error: `Line ${i + 1}: ${key} has a limit already` };
    limits.push({ key, ...read.value });
  }
  return { value: limits };
}

/** Keyed limits as the form shows them: one a line. */
export function keyedLimitsText(limits: readonly { key: string; pence?: number | null; share?: string | null }[]): string {
  return limits.map((l) => `${l.key}: ${limitText(l)}`).join('\n');
}

/** Whether a set of council rules holds nothing at all. */
export function isEmptyConstraints(c: CountConstraintsInput): boolean {
  return (
    (c.categoryMax?.length ?? 0) === 0 &&
    (c.categoryMin?.length ?? 0) === 0 &&
    (c.areaMax?.length ?? 0) === 0 &&
    (c.areaMin?.length ?? 0) === 0 &&
    (c.minVotes ?? null) === null &&
    (c.minShare ?? null) === null &&
    (c.exclusive?.length ?? 0) === 0 &&
    (c.mustFund?.length ?? 0) === 0
  );
}

/** The input for the council rules a round (or a rule in the simulator) has now, to send back unchanged. */
export function constraintsInput(c: CountConstraintsFieldsFragment | null | undefined): CountConstraintsInput | null {
  if (!c) return null;
  const limits = (ls: CountConstraintsFieldsFragment['categoryMax']) => ls.map((l) => ({ key: l.key, pence: l.pence ?? null, share: l.share ?? null }));
  const input: CountConstraintsInput = {
    categoryMax: limits(c.categoryMax),
    categoryMin: limits(c.categoryMin),
    areaMax: limits(c.areaMax),
    areaMin: limits(c.areaMin),
    minVotes: c.minVotes ?? null,
    minShare: c.minShare ?? null,
    exclusive: c.exclusive.map((s) => [...s]),
    mustFund: [...c.mustFund],
  };
  return isEmptyConstraints(input) ? null : input;
}

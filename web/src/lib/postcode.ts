// UK postcodes, enough to find a person's area on the web server. The API
// checks postcodes again wherever it stores a decision on one.

const POSTCODE = /^([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})$/;

/** `ls61ab` → `LS6 1AB`, or null when it is not a postcode's shape. */
export function normalisePostcode(input: string): string | null {
  const compact = input.toUpperCase().replace(/[^A-Z0-9]/g, '');
  const m = POSTCODE.exec(compact.length > 3 ? `${compact.slice(0, -3)} ${compact.slice(-3)}` : compact);
  return m ? `${m[1]} ${m[2]}` : null;
}

/**
 * How well a coverage entry (a full postcode `LS6 1AB`, a sector `LS6 1` or
 * a district `LS6`) matches a normalised postcode: the entry's length when
 * it covers it, or 0. The longest match wins, as in the API.
 */
export function coverageMatch(postcode: string, coverage: string): number {
  const entry = coverage.trim().toUpperCase().replace(/\s+/g, ' ');
  const [outward, inward = ''] = postcode.split(' ');
  const [cOut, cIn] = entry.split(' ');
  if (cOut !== outward) return 0;
  if (cIn === undefined) return entry.length;
  return inward.startsWith(cIn) ? entry.length : 0;
}

export interface AreaCoverage {
  id: string;
  coverage: readonly string[];
}

/** The areas that cover a postcode, best match first. */
export function areasForPostcode<A extends AreaCoverage>(postcode: string, areas: readonly A[]): A[] {
  return areas
    .map((a) => ({ a, score: Math.max(0, ...a.coverage.map((c) => coverageMatch(postcode, c))) }))
    .filter((x) => x.score > 0)
    .sort((x, y) => y.score - x.score)
    .map((x) => x.a);
}

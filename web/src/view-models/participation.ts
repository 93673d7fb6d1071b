// What the "Who took part" pages show, built from the API's participation:
// the totals, and for each breakdown (area, age band, deprivation decile,
// channel, assurance) a row per group with its figures as text, the bars of
// its chart, and how representative the turnout is. The same view serves
// the public page and the staff dashboard; the staff outreach list and the
// population page use its labels too. Pure; its words are in the page's
// language (the dictionaries' `participation`).
import type {
  AgeBand,
  AreaPopulationFieldsFragment,
  ParticipationBreakdownFieldsFragment,
  ParticipationGroupFieldsFragment,
  RoundOutreachQuery,
  RoundParticipationFieldsFragment,
} from '../graphql/generated/graphql.js';
import { en, fmt, type Dictionary, type Lang } from '../i18n/index.js';
import { width } from '../lib/chart.js';
import { escapeHtml, shownInEnglish, written } from '../lib/welsh.js';
import { percent } from './simulation.js';

/** The ages in each band, as the API counts them (api/src/domain: AgeBand). */
export const AGE_BANDS: Record<AgeBand, { from: number; to: number | null }> = {
  UNDER_18: { from: 0, to: 17 },
  AGE_18_TO_24: { from: 18, to: 24 },
  AGE_25_TO_34: { from: 25, to: 34 },
  AGE_35_TO_44: { from: 35, to: 44 },
  AGE_45_TO_54: { from: 45, to: 54 },
  AGE_55_TO_64: { from: 55, to: 64 },
  AGE_65_TO_74: { from: 65, to: 74 },
  AGE_75_AND_OVER: { from: 75, to: null },
};

const COUNTS = new Map<string, Intl.NumberFormat>();

/** 1690 → "1,690". */
export function count(n: number, lang: Lang | string = 'en'): string {
  let f = COUNTS.get(lang);
  if (!f) {
    f = new Intl.NumberFormat(lang === 'cy' ? 'cy-GB' : 'en-GB');
    COUNTS.set(lang, f);
  }
  return f.format(n);
}

/**
 * An age band in words. The youngest band a round counts starts at its
 * minimum age (`fromAge`): with 16, UNDER_18 is "16 to 17"; with none it is
 * "Under 18".
 */
export function ageBandLabel(band: AgeBand, fromAge = 0, t: Dictionary = en): string {
  const w = t.participation.ageBands;
  const ages = AGE_BANDS[band];
  const from = Math.max(ages.from, fromAge);
  if (ages.to === null) return fmt(w.over, { from });
  if (from === 0) return fmt(w.under, { age: ages.to + 1 });
  if (from >= ages.to) return fmt(w.exact, { age: ages.to });
  return fmt(w.range, { from, to: ages.to });
}

/** A deprivation decile in words: "1 (most deprived)", "4", "10 (least deprived)". */
export function decileLabel(decile: number, t: Dictionary = en): string {
  const w = t.participation.deciles;
  if (decile === 1) return fmt(w.most, { decile });
  if (decile === 10) return fmt(w.least, { decile });
  return String(decile);
}

/** A group's label as plain text, and as HTML (an area's English name on a Welsh page is marked `lang="en"`). */
export interface Label {
  text: string;
  html: string;
}

function plainLabel(text: string): Label {
  return { text, html: escapeHtml(text) };
}

export function areaLabel(area: { name: string; nameCy?: string | null }, lang: Lang): Label {
  const text = written(area, 'name', lang);
  const html = escapeHtml(text);
  return { text, html: shownInEnglish(area, 'name', lang) ? `<span lang="en">${html}</span>` : html };
}

/** What a group is, in words: its area, age band, decile, channel or assurance, or "Not known". */
export function groupLabel(g: ParticipationGroupFieldsFragment, fromAge: number, t: Dictionary = en): Label {
  const p = t.participation;
  if (g.notKnown) return plainLabel(p.notKnown);
  if (g.area) return areaLabel(g.area, t.lang as Lang);
  if (g.ageBand) return plainLabel(ageBandLabel(g.ageBand, fromAge, t));
  if (typeof g.decile === 'number') return plainLabel(decileLabel(g.decile, t));
  if (g.channel) return plainLabel(t.results.channels[g.channel.toLowerCase()] ?? g.channel);
  if (g.assurance) return plainLabel(p.assurance[g.assurance] ?? g.assurance);
  return plainLabel(g.key);
}

export const BREAKDOWNS = ['area', 'age', 'decile', 'channel', 'assurance'] as const;
export type BreakdownId = (typeof BREAKDOWNS)[number];

export interface GroupRow {
  key: string;
  label: Label;
  notKnown: boolean;
  suppressed: boolean;
  /** How many took part, or "fewer than 10". */
  votersText: string;
  populationText: string;
  shareOfVotersText: string;
  shareOfPopulationText: string;
  rateText: string;
  /** The bars' lengths, whole percentages of the breakdown's largest share. */
  votersWidth: number;
  populationWidth: number;
  lowest: boolean;
  highest: boolean;
}

export interface BreakdownView {
  id: BreakdownId;
  heading: string;
  caption: string;
  groupCol: string;
  rows: GroupRow[];
  /** Whether any group has a population: then the table has its population columns and the chart two bars a group. */
  hasPopulation: boolean;
  /** "Representativeness: 45%", or null when it cannot be worked out. */
  score: string | null;
  /** The sentence that explains the score, or why there is none. */
  explanation: string;
  /** A note on the "Not known" row, when there is one. */
  notKnownNote: string | null;
  /** Deciles: the look-up was never imported, so nobody is counted by decile. */
  unavailable: boolean;
}

export interface ParticipationView {
  voters: string;
  eligible: string;
  eligibleLabel: string;
  turnout: string;
  /** Some area has no population figures. */
  populationMissing: boolean;
  fromAge: number;
  privacyNote: string;
  breakdowns: BreakdownView[];
}

const SMALL_PERCENT = new Map<string, Intl.NumberFormat>();

/**
 * A share as a percentage: 0.3456 → "34.6%"; below 1%, two decimals, so
 * that turnouts like 0.48% and 0.52% can be told apart.
 */
export function sharePercent(value: number, lang: Lang | string = 'en'): string {
  if (!(value > 0 && value < 0.01)) return percent(value, lang);
  let f = SMALL_PERCENT.get(lang);
  if (!f) {
    f = new Intl.NumberFormat(lang === 'cy' ? 'cy-GB' : 'en-GB', { style: 'percent', minimumFractionDigits: 2, maximumFractionDigits: 2 });
    SMALL_PERCENT.set(lang, f);
  }
  return f.format(value);
}

function share(value: number | null | undefined, lang: string, none: string): string {
  return typeof value === 'number' ? sharePercent(value, lang) : none;
}

function breakdownView(id: BreakdownId, b: ParticipationBreakdownFieldsFragment, data: RoundParticipationFieldsFragment, t: Dictionary): BreakdownView {
  const p = t.participation;
  const lang = t.lang;
  const fewer = fmt(p.fewerThan, { count: data.smallestGroupShown });
  const hasPopulation = b.groups.some((g) => typeof g.population === 'number');
  // The bars share one scale, the breakdown's largest share, so that they can be compared.
  const largest = Math.max(0, ...b.groups.flatMap((g) => [g.shareOfVoters ?? 0, hasPopulation ? (g.shareOfPopulation ?? 0) : 0]));
  const rows: GroupRow[] = b.groups.map((g) => ({
    key: g.key,
    label: groupLabel(g, data.fromAge, t),
    notKnown: g.notKnown,
    suppressed: g.suppressed,
    votersText: g.suppressed || g.voters === null ? fewer : count(g.voters, lang),
    populationText: typeof g.population === 'number' ? count(g.population, lang) : g.notKnown ? p.notKnownValue : p.noFigures,
    // Nobody has taken part yet: every group has none of them.
    shareOfVotersText: g.suppressed ? p.notShown : g.voters === 0 ? sharePercent(0, lang) : share(g.shareOfVoters, lang, p.notShown),
    shareOfPopulationText: share(g.shareOfPopulation, lang, g.notKnown ? p.notKnownValue : p.noFigures),
    rateText: g.suppressed ? p.notShown : share(g.rate, lang, g.notKnown ? p.notKnownValue : p.noFigures),
    votersWidth: width(g.shareOfVoters ?? 0, largest),
    populationWidth: width(g.shareOfPopulation ?? 0, largest),
    lowest: b.lowest?.key === g.key,
    highest: b.highest?.key === g.key,
  }));
  const named = (key: string | undefined) => {
    const g = b.groups.find((x) => x.key === key);
    if (!g) return { name: '', rate: '' };
    const label = groupLabel(g, data.fromAge, t).text;
    return { name: id === 'decile' ? fmt(p.decileNamed, { decile: label }) : label, rate: share(g.rate, lang, '') };
  };
  let score: string | null = null;
  let explanation: string;
  if (typeof b.representativeness === 'number' && b.lowest && b.highest) {
    const s = percent(b.representativeness, lang);
    const lowest = named(b.lowest.key);
    const highest = named(b.highest.key);
    score = fmt(p.representativeness, { score: s });
    explanation = fmt(p.representativenessText, { lowest: lowest.name, lowestRate: lowest.rate, highest: highest.name, highestRate: highest.rate, score: s });
  } else {
    explanation = hasPopulation ? p.representativenessNone : p.sharesOnly;
  }
  const anyNotKnown = b.groups.some((g) => g.notKnown);
  return {
    id,
    heading: p.headings[id] ?? id,
    caption: p.captions[id] ?? id,
    groupCol: p.groupCols[id] ?? id,
    rows,
    hasPopulation,
    score,
    explanation,
    notKnownNote: anyNotKnown ? (id === 'age' ? p.notKnownAge : id === 'decile' ? p.notKnownDecile : null) : null,
    unavailable: id === 'decile' && (!data.deprivationKnown || b.groups.length === 0),
  };
}

/** Everything a participation page shows, in the page's language. */
export function participationView(data: RoundParticipationFieldsFragment, t: Dictionary = en): ParticipationView {
  const p = t.participation;
  const lang = t.lang;
  const sources: Record<BreakdownId, ParticipationBreakdownFieldsFragment> = {
    area: data.byArea,
    age: data.byAgeBand,
    decile: data.byDeprivationDecile,
    channel: data.byChannel,
    assurance: data.byAssurance,
  };
  return {
    voters: count(data.voters, lang),
    eligible: typeof data.eligiblePopulation === 'number' ? count(data.eligiblePopulation, lang) : p.noFigures,
    eligibleLabel: data.fromAge > 0 ? fmt(p.eligibleFrom, { age: data.fromAge }) : p.eligibleAll,
    turnout: typeof data.turnout === 'number' ? sharePercent(data.turnout, lang) : p.noFigures,
    populationMissing: data.eligiblePopulation === null || data.eligiblePopulation === undefined,
    fromAge: data.fromAge,
    privacyNote: fmt(p.privacyNote, { count: data.smallestGroupShown }),
    breakdowns: BREAKDOWNS.map((id) => breakdownView(id, sources[id], data, t)),
  };
}

type Outreach = RoundOutreachQuery['round']['outreach'][number];

export interface OutreachRow {
  area: Label;
  ageBand: string;
  votersText: string;
  populationText: string;
  shareOfPopulationText: string;
  shareOfVotersText: string;
  rateText: string;
  remindersByEmailText: string;
  remindersByTextText: string;
}

/** The outreach list's rows, in the API's order (furthest below their share of the population first). */
export function outreachRows(groups: readonly Outreach[], fromAge: number, smallest: number, t: Dictionary = en): OutreachRow[] {
  const p = t.participation;
  const lang = t.lang;
  const fewer = fmt(p.fewerThan, { count: smallest });
  const n = (v: number | null | undefined) => (typeof v === 'number' ? count(v, lang) : fewer);
  return groups.map((g) => ({
    area: areaLabel(g.area, lang as Lang),
    ageBand: ageBandLabel(g.ageBand, fromAge, t),
    votersText: n(g.voters),
    populationText: count(g.population, lang),
    shareOfPopulationText: sharePercent(g.shareOfPopulation, lang),
    shareOfVotersText: g.voters === null ? p.notShown : g.voters === 0 ? sharePercent(0, lang) : share(g.shareOfVoters, lang, p.notShown),
    rateText: g.voters === null ? p.notShown : share(g.rate, lang, p.notShown),
    remindersByEmailText: n(g.remindersByEmail),
    remindersByTextText: n(g.remindersByText),
  }));
}

/** An area's population by age band, for the staff population page: every age, so the youngest band is "Under 18". */
export function populationRows(population: AreaPopulationFieldsFragment, t: Dictionary = en): { band: string; people: string }[] {
  return population.byAgeBand.map((b) => ({ band: ageBandLabel(b.band, 0, t), people: count(b.people, t.lang) }));
}

/** An area on the staff population page: its name, and the figures in use with their counts as text, or null. */
export function areaPopulationView(area: { id: string; name: string; nameCy?: string | null; population?: AreaPopulationFieldsFragment | null }, t: Dictionary = en) {
  const lang = t.lang as Lang;
  const population = area.population ?? null;
  return {
    id: area.id,
    name: areaLabel(area, lang),
    population: population ? { ...population, peopleText: count(population.people, lang), geographiesText: count(population.geographies, lang), rows: populationRows(population, t) } : null,
  };
}

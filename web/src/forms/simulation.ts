// The rule simulator's form: up to three counting rules, each with council
// rules of its own, to count a round's sealed ballots or an uploaded
// pabulib file side by side. Pure: read the posted values, check them, and
// build the API's SimulationInput. Unlike the other staff forms its texts
// are in the page's language (the dictionaries' `simulator`).
import type { CountConstraintsInput, Phase, Role, SimulatedRuleInput, SimulationInput } from '../graphql/generated/graphql.js';
import { en, fmt, type Dictionary } from '../i18n/index.js';
import { FormErrors, str } from '../lib/forms.js';
import { isEmptyConstraints, keyedLimitsText, leastVotesText, readExclusiveSets, readIds, readKeyedLimits, readLeastVotes, setsText, type IdKind } from './constraints.js';
import type { ApiErrorMapping } from './api-error.js';
import type { Parsed } from './officer.js';
import type { Round } from './rounds.js';

/** The rules the simulator offers: those that fund one bid at a time and can apply council rules. */
export const SIM_RULES = ['greedy', 'greedy-no-skip', 'mes', 'mes-add1', 'phragmen'] as const;
/** How many rules one comparison counts. */
export const SIM_SLOTS = [1, 2, 3] as const;

/** Each rule's fields, named `<field>-<slot>`. */
const RULE_FIELDS = ['rule', 'categoryMax', 'categoryMin', 'areaMax', 'areaMin', 'leastVotes', 'exclusive', 'mustFund'] as const;
const CONSTRAINT_FIELDS = RULE_FIELDS.filter((f) => f !== 'rule');

export type SimValues = Record<string, string>;

/** A comparison before anything is chosen: three different rules, no council rules. */
export const NEW_SIM_VALUES: SimValues = { 'rule-1': 'greedy', 'rule-2': 'mes-add1', 'rule-3': 'phragmen' };

/** Whether this person may compare rules on a round at this phase (the API decides too). */
export function mayCompareRules(phase: Phase, roles: readonly Role[]): boolean {
  if (roles.length === 0) return false;
  if (phase === 'PUBLISHED') return true;
  return (phase === 'CLOSED' || phase === 'COUNTED') && (roles.includes('COUNCILLOR') || roles.includes('ADMIN'));
}

/** The posted values. */
export function simValuesFrom(body: unknown): SimValues {
  const v: SimValues = {};
  for (const slot of SIM_SLOTS) for (const f of RULE_FIELDS) v[`${f}-${slot}`] = str(body, `${f}-${slot}`);
  return v;
}

/** An area as a round's comparison names it. */
export interface NamedArea {
  id: string;
  name: string;
}

/** A comparison for a round: its own rule and council rules first (when the simulator offers the rule), then two others; areas by name. */
export function simValuesForRound(round: Pick<Round, 'countingRule'>, areas: NamedArea[] = []): SimValues {
  const own = round.countingRule;
  if (!(SIM_RULES as readonly string[]).includes(own.name)) return { ...NEW_SIM_VALUES };
  const others = SIM_RULES.filter((r) => r !== own.name && r !== 'greedy-no-skip');
  const v: SimValues = { 'rule-1': own.name, 'rule-2': others[0] ?? '', 'rule-3': others[1] ?? '' };
  const c = own.constraints;
  if (c) {
    v['categoryMax-1'] = keyedLimitsText(c.categoryMax);
    v['categoryMin-1'] = keyedLimitsText(c.categoryMin);
    const named = (ls: typeof c.areaMax) => ls.map((l) => ({ ...l, key: areas.find((a) => a.id === l.key)?.name ?? l.key }));
    v['areaMax-1'] = keyedLimitsText(named(c.areaMax));
    v['areaMin-1'] = keyedLimitsText(named(c.areaMin));
    v['leastVotes-1'] = leastVotesText(c);
    v['exclusive-1'] = setsText(c.exclusive);
    v['mustFund-1'] = c.mustFund.join(', ');
  }
  return v;
}

/** Whether a rule's council rules were given, so that the view shows them open. */
export function hasConstraintValues(v: SimValues, slot: number): boolean {
  return CONSTRAINT_FIELDS.some((f) => (v[`${f}-${slot}`] ?? '') !== '');
}

/**
 * What the simulation counts: a round's ballots (its areas named as staff
 * know them; the API takes their ids), or a pabulib file (read by
 * http/bodies.ts), whose areas are as the file writes them.
 */
export type SimSource = { roundId: string; areas?: NamedArea[] } | { file: { buffer: Buffer } | undefined };

/** A round's area by name (any case) or id, as its id; undefined when it is neither. */
function areaKey(typed: string, areas: NamedArea[]): string | undefined {
  const t = typed.trim().toLowerCase();
  return areas.find((a) => a.name.trim().toLowerCase() === t)?.id ?? areas.find((a) => a.id === typed.trim())?.id;
}

/**
 * The text of an uploaded .pb file, or what is wrong with it. Its size is
 * bounded as it is read (http/bodies.ts: a larger file gets the too-large
 * page) and the API reads what it says.
 */
export function pbFileText(file: { buffer: Buffer } | undefined, t: Dictionary = en): { text: string } | { error: string } {
  const e = t.simulator.errors;
  if (!file) return { error: e.fileMissing };
  if (file.buffer.length === 0) return { error: e.fileEmpty };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(file.buffer) };
  } catch {
    return { error: e.fileNotText };
  }
}

type SimErrors = Dictionary['simulator']['errors'];

/**
 * What the council-rule readers (forms/constraints.ts) say, in English for
 * the round form: each message, after any "Line N: ", matched back to the
 * dictionary's words. A message that matches none stays as it is.
 */
const READER_ERRORS: [RegExp, (e: SimErrors, m: RegExpExecArray) => string][] = [
  [/^write the category, a colon and the limit, like /, (e) => e.categoryLimitLine],
  [/^write the area, a colon and the limit, like /, (e) => e.areaLimitLine],
  [/^(.+) has a limit already$/, (e, m) => fmt(e.limitTwice, { key: m[1] })],
  [/^enter a number of votes, like 20, or a share of the voters, like 5%$/i, (e) => e.leastVotes],
  [/^enter bid numbers separated by commas, like 12, 15: “(.*)” is not a bid number$/i, (e, m) => fmt(e.notBidNumbers, { id: m[1] })],
  [/^“(.*)” is not a project id$/, (e, m) => fmt(e.notProjectId, { id: m[1] })],
  [/^bid (.+) is named twice$/i, (e, m) => fmt(e.bidTwice, { id: m[1] })],
  [/^“(.*)” is not a bid number; write one set a line, like 12, 15$/, (e, m) => fmt(e.setNotBidNumber, { id: m[1] })],
  [/^“(.*)” is not a project id; write one set a line, like 12, 15$/, (e, m) => fmt(e.setNotProjectId, { id: m[1] })],
  [/^a set needs at least two bids, separated by commas, like 12, 15$/i, (e) => e.setTooSmall],
  [/^bid (.+) is in more than one set, or twice in one$/i, (e, m) => fmt(e.setOverlap, { id: m[1] })],
];

/**
 * A council-rule reader's message as the simulator shows it, saying which
 * rule it is about: "Rule 2: …", "Rule 2, line 3: …", in the page's language.
 */
export function ruleError(slot: number, message: string, t: Dictionary = en): string {
  const e = t.simulator.errors;
  const lined = /^Line (\d+): (.*)$/s.exec(message);
  const text = lined ? (lined[2] ?? '') : message;
  const found = READER_ERRORS.map(([re, words]) => {
    const m = re.exec(text);
    return m ? words(e, m) : undefined;
  }).find((w) => w !== undefined);
  const error = found ?? (lined ? text : `${text.charAt(0).toLowerCase()}${text.slice(1)}`);
  return lined ? fmt(e.inRuleLine, { n: slot, line: lined[1], error }) : fmt(e.inRule, { n: slot, error });
}

/** One rule's council rules, or null when none is given. Round bids are numbers; a file's projects have ids of their own. */
function ruleConstraints(v: SimValues, slot: number, ids: IdKind, errors: FormErrors, t: Dictionary, areas?: NamedArea[]): CountConstraintsInput | null {
  const field = (f: string) => `${f}-${slot}`;
  const s = (f: string) => v[field(f)] ?? '';
  const add = (f: string, text: string) => errors.add(field(f), ruleError(slot, text, t));
  const keyed = (f: 'categoryMax' | 'categoryMin' | 'areaMax' | 'areaMin') => {
    const read = readKeyedLimits(s(f), f.startsWith('category') ? 'category' : 'area');
    if (read.error !== undefined) add(f, read.error);
    const limits = read.value ?? [];
    if (!areas || f.startsWith('category')) return limits;
    // A round's areas go to the API by id.
    const unknown = limits.find((l) => areaKey(l.key, areas) === undefined);
    if (unknown) errors.add(field(f), fmt(t.simulator.errors.inRule, { n: slot, error: fmt(t.simulator.errors.notAnArea, { area: unknown.key, areas: areas.map((a) => a.name).join(', ') }) }));
    return limits.map((l) => ({ ...l, key: areaKey(l.key, areas) ?? l.key }));
  };
  const input: CountConstraintsInput = { categoryMax: keyed('categoryMax'), categoryMin: keyed('categoryMin'), areaMax: keyed('areaMax'), areaMin: keyed('areaMin') };
  const least = readLeastVotes(s('leastVotes'));
  if (least.error !== undefined) add('leastVotes', least.error);
  else Object.assign(input, least.value);
  const exclusive = readExclusiveSets(s('exclusive'), ids);
  if (exclusive.error !== undefined) add('exclusive', exclusive.error);
  input.exclusive = exclusive.value ?? [];
  const mustFund = readIds(s('mustFund'), ids);
  if (mustFund.error !== undefined) add('mustFund', mustFund.error);
  input.mustFund = mustFund.value ?? [];
  return isEmptyConstraints(input) ? null : input;
}

/** Checks the comparison and builds the API's input, which is null while there are errors; the errors are in `t`'s language. */
export function parseSimulation(v: SimValues, source: SimSource, t: Dictionary = en): Parsed<SimValues, SimulationInput> {
  const e = t.simulator.errors;
  const errors = new FormErrors();
  let pbFile: string | null = null;
  if ('file' in source) {
    const read = pbFileText(source.file, t);
    if ('error' in read) errors.add('pbFile', read.error);
    else pbFile = read.text;
  }
  const ids: IdKind = 'roundId' in source ? 'number' : 'name';
  const rules: SimulatedRuleInput[] = [];
  for (const slot of SIM_SLOTS) {
    const name = v[`rule-${slot}`] ?? '';
    if (name !== '' && !(SIM_RULES as readonly string[]).includes(name)) {
      errors.add(`rule-${slot}`, fmt(e.ruleNotListed, { n: slot }));
      continue;
    }
    const constraints = ruleConstraints(v, slot, ids, errors, t, 'roundId' in source ? source.areas : undefined);
    if (name === '') {
      if (constraints) errors.add(`rule-${slot}`, fmt(e.ruleMissing, { n: slot }));
      continue;
    }
    rules.push({ name, constraints });
  }
  if (rules.length === 0 && !errors.any) errors.add('rule-1', e.noRule);
  const input: SimulationInput = 'roundId' in source ? { roundId: source.roundId, rules } : { pbFile, rules };
  return { values: v, errors, input: errors.any ? null : input };
}

/** The slots that were counted, in the order the API answers: each rule's number on the form and its name. */
export function askedRules(v: SimValues): { slot: number; name: string }[] {
  return SIM_SLOTS.map((slot) => ({ slot, name: v[`rule-${slot}`] ?? '' })).filter((r) => r.name !== '');
}

/**
 * Where the simulator shows the API's refusals: the file's beside the file
 * field, a rule's beside that rule (the API names `rules.N…`), anything
 * else beside the first rule. Refusals of the person (not allowed, signed
 * out) go on to the error pages.
 */
export function simulationApiErrors(v: SimValues, fileForm: boolean): ApiErrorMapping {
  const slots = askedRules(v).map((r) => r.slot);
  return {
    field: fileForm ? 'pbFile' : `rule-${slots[0] ?? 1}`,
    every: true,
    rethrow: ['INTERNAL', 'UNAUTHENTICATED', 'NOT_AUTHORISED', 'NOT_FOUND'],
    fieldOf: (f) => {
      if (f === 'pbFile') return fileForm ? 'pbFile' : undefined;
      const n = /^rules\D*(\d+)/.exec(f)?.[1];
      return n !== undefined && slots[Number(n)] !== undefined ? `rule-${slots[Number(n)]}` : undefined;
    },
  };
}

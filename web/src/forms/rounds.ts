// The round form (officers): a funding round's title, pots, schedule,
// ballot, counting rule and who may take part. Pure: read the posted
// values, check them, and build the API's input.
import type {
  BallotKind,
  BallotSettingsInput,
  CountConstraintsInput,
  CountingRuleInput,
  EligibilityInput,
  Phase,
  Relation,
  RoundPageQuery,
  ScheduleInput,
  VerificationMethod,
} from '../graphql/generated/graphql.js';
import { instantFromLocal, localFromInstant } from '../lib/dates.js';
import { FormErrors, str, strs } from '../lib/forms.js';
import { parsePounds, penceToInput } from '../lib/money.js';
import { isEmptyConstraints, leastVotesText, limitText, minAboveMax, readExclusiveSets, readIds, readLeastVotes, readLimit, setsText, type Limit } from './constraints.js';

export const NEXT_PHASE: Partial<Record<Phase, Phase>> = {
  DRAFT: 'BIDS_OPEN',
  BIDS_OPEN: 'BID_REVIEW',
  BID_REVIEW: 'VOTING',
  VOTING: 'CLOSED',
  COUNTED: 'PUBLISHED',
};
export const BALLOT_KINDS: BallotKind[] = ['APPROVAL', 'KNAPSACK', 'RANKED', 'SCORING', 'POINTS_ALLOCATION', 'MONEY_ALLOCATION'];
export const RULES = ['greedy', 'greedy-no-skip', 'greedy-threshold', 'mes', 'mes-add1', 'mes-add1-no-early-stop', 'phragmen', 'borda', 'irv', 'stv-scottish'];
export const METHODS: VerificationMethod[] = ['POSTCODE', 'SMS', 'EMAIL', 'REGISTER', 'IN_PERSON'];
export const RELATIONS: Relation[] = ['LIVE', 'WORK', 'STUDY'];
const SCHEDULE_FIELDS = ['bidsOpenAt', 'bidsCloseAt', 'votingOpensAt', 'votingClosesAt'] as const;
const INT_FIELDS = ['minChoices', 'maxChoices', 'scoreMin', 'scoreMax', 'pointsTotal', 'pointsMaxPerBid', 'minSupport', 'seats', 'minAge'] as const;

/** The round form's values, as typed. */
export type RoundValues = Record<string, string | string[]>;

/** A new round's form before anything is typed. */
export const NEW_ROUND_VALUES: RoundValues = { kind: 'APPROVAL', rule: 'mes-add1', relations: ['LIVE'], methods: ['REGISTER', 'IN_PERSON'], postcodeAloneEnough: 'no', acceptLowAssurance: 'no' };

/** The API names some fields by their input's name; these are the form's ids for them. */
const FIELD_IDS: Record<string, string> = {
  eligibility: 'methods',
  methods: 'methods',
  relations: 'relations',
  minAge: 'minAge',
  ballot: 'kind',
  countingRule: 'rule',
  rule: 'rule',
  schedule: 'bidsOpenAt-date',
  coverage: 'coverage',
  title: 'title',
  titleCy: 'titleCy',
  descriptionCy: 'descriptionCy',
  nameCy: 'nameCy',
  summaryCy: 'summaryCy',
};

/** The staff forms' id for a field the API names, if the form has one. */
export function staffFieldOf(apiField: string): string | undefined {
  return FIELD_IDS[apiField];
}

// Council rules: a limit per category and per area, each a most and a
// least, then the least support, exclusive sets and bids funded first.

type LimitKind = 'categoryMax' | 'categoryMin' | 'areaMax' | 'areaMin';
const COUNCIL_RULE_FIELDS = ['leastVotes', 'exclusive', 'mustFund'] as const;

/**
 * The round form's id for a field the API names: a refusal of the counting
 * rule goes beside the council rules when the form gives some (the API
 * names the whole rule), otherwise beside the rule.
 */
export function roundFieldOf(values: RoundValues): (apiField: string) => string | undefined {
  const withRules = COUNCIL_RULE_FIELDS.some((k) => typeof values[k] === 'string' && values[k] !== '') || Object.entries(values).some(([k, v]) => /^(category|area)(Max|Min)-/.test(k) && v !== '');
  return (apiField) => (apiField === 'countingRule' && withRules ? 'constraints' : staffFieldOf(apiField));
}

/** A category as a form id: "young people" → "young-people". */
export function categorySlug(category: string): string {
  return category.toLowerCase().replace(/[^a-z0-9]+/g, '-');
}

/** The form's fields for a category's limits, for the view. */
export function categoryFields(categories: string[]) {
  return categories.map((name) => ({ name, max: `categoryMax-${categorySlug(name)}`, min: `categoryMin-${categorySlug(name)}` }));
}

/** The form's fields for an area's limits, for the view. */
export function areaFields(areas: { id: string; name: string }[]) {
  return areas.map((a) => ({ id: a.id, name: a.name, max: `areaMax-${a.id}`, min: `areaMin-${a.id}` }));
}

/**
 * The council rules in the posted values, or null when none is given.
 * Money is typed in pounds and sent in pence; bids are named by number.
 */
export function parseCouncilRules(v: RoundValues, categories: string[], areaIds: string[], errors: FormErrors, areaNames: Record<string, string> = {}): CountConstraintsInput | null {
  const s = (k: string) => (typeof v[k] === 'string' ? (v[k] as string) : '');
  const limits = (kind: LimitKind, keys: { key: string; name: string; field: string }[]) => {
    const out: { key: string; name: string; limit: Limit; field: string }[] = [];
    const most = kind.endsWith('Max');
    for (const { key, name, field } of keys) {
      const read = readLimit(s(field));
      if (read.error !== undefined) errors.add(field, `Enter the ${most ? 'most' : 'least'} for ${name} in whole pounds, like 5000, or as a share of the pot, like 30%`);
      else if (read.value) out.push({ key, name, limit: read.value, field });
    }
    return { kind, out };
  };
  const cats = (kind: 'categoryMax' | 'categoryMin') => limits(kind, categories.map((c) => ({ key: c, name: c, field: `${kind}-${categorySlug(c)}` })));
  const areas = (kind: 'areaMax' | 'areaMin') => limits(kind, areaIds.map((id) => ({ key: id, name: areaNames[id] ?? `area ${id}`, field: `${kind}-${id}` })));
  const [catMax, catMin, areaMax, areaMin] = [cats('categoryMax'), cats('categoryMin'), areas('areaMax'), areas('areaMin')];
  for (const [max, min] of [[catMax, catMin], [areaMax, areaMin]] as const) {
    for (const m of min.out) {
      const top = max.out.find((x) => x.key === m.key);
      if (top && minAboveMax(m.limit, top.limit)) errors.add(m.field, `The least for ${m.name} must not be more than the most`);
    }
  }
  const least = readLeastVotes(s('leastVotes'));
  if (least.error !== undefined) errors.add('leastVotes', least.error);
  const exclusive = readExclusiveSets(s('exclusive'), 'number');
  if (exclusive.error !== undefined) errors.add('exclusive', exclusive.error);
  const mustFund = readIds(s('mustFund'), 'number');
  if (mustFund.error !== undefined) errors.add('mustFund', mustFund.error);
  const toInput = (l: { out: { key: string; limit: Limit }[] }) => l.out.map((x) => ({ key: x.key, ...x.limit }));
  const input: CountConstraintsInput = {
    categoryMax: toInput(catMax),
    categoryMin: toInput(catMin),
    areaMax: toInput(areaMax),
    areaMin: toInput(areaMin),
    minVotes: least.value?.minVotes ?? null,
    minShare: least.value?.minShare ?? null,
    exclusive: exclusive.value ?? [],
    mustFund: mustFund.value ?? [],
  };
  return isEmptyConstraints(input) ? null : input;
}

function optInt(v: string): number | null {
  if (v === '') return null;
  const n = Number(v);
  return Number.isInteger(n) ? n : Number.NaN;
}

/** The posted values, for the areas with these ids and the bid categories. */
export function roundValuesFrom(body: unknown, areaIds: string[], categories: string[] = []): RoundValues {
  const v: RoundValues = {};
  for (const k of ['title', 'description', 'titleCy', 'descriptionCy', 'kind', 'minChoices', 'maxChoices', 'scoreMin', 'scoreMax', 'pointsTotal', 'pointsMaxPerBid', 'rule', 'seed', 'minSupport', 'seats', 'rankPoints', 'minAge', 'postcodeAloneEnough', 'acceptLowAssurance', ...COUNCIL_RULE_FIELDS]) {
    v[k] = str(body, k);
  }
  for (const f of [...categoryFields(categories).flatMap((c) => [c.max, c.min]), ...areaIds.flatMap((id) => [`areaMax-${id}`, `areaMin-${id}`])]) {
    v[f] = str(body, f);
  }
  for (const f of SCHEDULE_FIELDS) {
    v[`${f}-date`] = str(body, `${f}-date`);
    v[`${f}-time`] = str(body, `${f}-time`);
  }
  for (const id of areaIds) v[`pot-${id}`] = str(body, `pot-${id}`);
  v.relations = strs(body, 'relations');
  v.methods = strs(body, 'methods');
  return v;
}

export interface RoundInput {
  title: string;
  description: string;
  /** Empty: no Welsh (the API takes an empty string away). */
  titleCy: string;
  descriptionCy: string;
  pots: { areaId: string; amountPence: number }[];
  ballot: BallotSettingsInput;
  countingRule: CountingRuleInput;
  schedule: ScheduleInput;
  eligibility: EligibilityInput;
}

/** Checks the values and builds the API's input; the errors say what is wrong. */
export function parseRound(v: RoundValues, areaIds: string[], errors: FormErrors = new FormErrors(), categories: string[] = [], areaNames: Record<string, string> = {}): RoundInput {
  const s = (k: string) => (typeof v[k] === 'string' ? (v[k] as string) : '');
  if (!s('title')) errors.add('title', 'Enter a title');
  const pots = areaIds
    .filter((id) => s(`pot-${id}`) !== '')
    .map((id) => {
      const pence = parsePounds(s(`pot-${id}`));
      if (pence === null) errors.add(`pot-${id}`, 'Enter the pot in pounds, like 25000');
      return { areaId: id, amountPence: pence ?? 0 };
    });
  if (pots.length === 0) errors.add(`pot-${areaIds[0] ?? 'x'}`, 'Give at least one area a pot');
  const kind = s('kind') as BallotKind;
  if (!BALLOT_KINDS.includes(kind)) errors.add('kind', 'Select the kind of ballot');
  const ints: Record<string, number | null> = {};
  for (const k of INT_FIELDS) {
    const n = optInt(s(k));
    if (Number.isNaN(n)) errors.add(k, 'Enter a whole number');
    ints[k] = Number.isNaN(n) ? null : n;
  }
  const ballot: BallotSettingsInput = {
    kind,
    minChoices: ints.minChoices,
    maxChoices: ints.maxChoices,
    scoreMin: ints.scoreMin,
    scoreMax: ints.scoreMax,
    pointsTotal: ints.pointsTotal,
    pointsMaxPerBid: ints.pointsMaxPerBid,
  };
  if (!RULES.includes(s('rule'))) errors.add('rule', 'Select the counting rule');
  const rankPoints = s('rankPoints') ? s('rankPoints').split(/[\s,]+/).filter(Boolean).map(Number) : null;
  if (rankPoints?.some((n) => !Number.isInteger(n))) errors.add('rankPoints', 'Enter whole numbers separated by commas');
  const constraints = parseCouncilRules(v, categories, areaIds, errors, areaNames);
  const countingRule: CountingRuleInput = { name: s('rule'), seed: s('seed') || null, minSupport: ints.minSupport, seats: ints.seats, rankPoints, constraints };
  const schedule: ScheduleInput = {};
  for (const f of SCHEDULE_FIELDS) {
    const date = s(`${f}-date`);
    const time = s(`${f}-time`) || '09:00';
    if (!date) {
      schedule[f] = null;
      continue;
    }
    const at = instantFromLocal(date, time);
    if (!at) errors.add(`${f}-date`, 'Enter a real date and time');
    schedule[f] = at;
  }
  const relations = (v.relations as string[]).filter((r): r is Relation => RELATIONS.includes(r as Relation));
  const methods = (v.methods as string[]).filter((m): m is VerificationMethod => METHODS.includes(m as VerificationMethod));
  if (relations.length === 0) errors.add('relations', 'Select who may take part');
  if (methods.length === 0) errors.add('methods', 'Select at least one way to prove it');
  const eligibility: EligibilityInput = {
    relations,
    methods,
    minAge: ints.minAge,
    postcodeAloneEnough: s('postcodeAloneEnough') === 'yes',
    acceptLowAssurance: s('acceptLowAssurance') === 'yes',
  };
  return { title: s('title'), description: s('description'), titleCy: s('titleCy').trim(), descriptionCy: s('descriptionCy').trim(), pots, ballot, countingRule, schedule, eligibility };
}

export type Round = RoundPageQuery['round'];

/** The form's values for a round as it is. */
export function roundValuesOf(round: Round): RoundValues {
  const v: RoundValues = {
    title: round.title,
    description: round.description,
    titleCy: round.titleCy ?? '',
    descriptionCy: round.descriptionCy ?? '',
    kind: round.ballot.kind,
    rule: round.countingRule.name,
    seed: round.countingRule.seed ?? '',
    rankPoints: round.countingRule.rankPoints?.join(', ') ?? '',
    relations: round.eligibility.relations,
    methods: round.eligibility.methods,
    postcodeAloneEnough: round.eligibility.postcodeAloneEnough ? 'yes' : 'no',
    acceptLowAssurance: round.eligibility.acceptLowAssurance ? 'yes' : 'no',
  };
  for (const k of ['minChoices', 'maxChoices', 'scoreMin', 'scoreMax', 'pointsTotal', 'pointsMaxPerBid'] as const) v[k] = round.ballot[k]?.toString() ?? '';
  for (const k of ['minSupport', 'seats'] as const) v[k] = round.countingRule[k]?.toString() ?? '';
  const rules = round.countingRule.constraints;
  if (rules) {
    for (const l of rules.categoryMax) v[`categoryMax-${categorySlug(l.key)}`] = limitText(l);
    for (const l of rules.categoryMin) v[`categoryMin-${categorySlug(l.key)}`] = limitText(l);
    for (const l of rules.areaMax) v[`areaMax-${l.key}`] = limitText(l);
    for (const l of rules.areaMin) v[`areaMin-${l.key}`] = limitText(l);
    v.leastVotes = leastVotesText(rules);
    v.exclusive = setsText(rules.exclusive);
    v.mustFund = rules.mustFund.join(', ');
  }
  v.minAge = round.eligibility.minAge?.toString() ?? '';
  for (const f of SCHEDULE_FIELDS) {
    const { date, time } = localFromInstant(round.schedule[f]);
    v[`${f}-date`] = date;
    v[`${f}-time`] = time;
  }
  for (const p of round.pots) v[`pot-${p.area.id}`] = penceToInput(p.amountPence);
  return v;
}

/**
 * A changed round's values: fields the form shows disabled are not posted,
 * so what the round has is kept (pots once bids open, settings once frozen).
 */
export function withFixedValues(posted: RoundValues, round: Round): RoundValues {
  const values = { ...posted };
  for (const [k, v] of Object.entries(roundValuesOf(round))) {
    const isPot = k.startsWith('pot-');
    const isSetting = !['title', 'description', 'titleCy', 'descriptionCy'].includes(k) && !k.endsWith('-date') && !k.endsWith('-time') && !isPot;
    if ((isPot && round.phase !== 'DRAFT') || (isSetting && round.settingsFrozen)) values[k] = v;
  }
  return values;
}

/** The round's update, given what may still change. */
export function roundUpdate(round: Pick<Round, 'id' | 'phase' | 'settingsFrozen'>, parsed: RoundInput) {
  return {
    id: round.id,
    input: {
      title: parsed.title,
      description: parsed.description,
      titleCy: parsed.titleCy,
      descriptionCy: parsed.descriptionCy,
      schedule: parsed.schedule,
      pots: round.phase === 'DRAFT' ? parsed.pots : null,
      eligibility: round.settingsFrozen ? null : parsed.eligibility,
    },
  };
}

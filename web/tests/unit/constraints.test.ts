// Council rules as officers type them (forms/constraints.ts), on the round
// form (forms/rounds.ts): pounds or shares, the least support, exclusive
// sets, bids funded first, and where the API's refusal shows.
import { describe, expect, it } from 'vitest';
import {
  constraintsInput,
  keyedLimitsText,
  readExclusiveSets,
  readIds,
  readKeyedLimits,
  readLeastVotes,
  readLimit,
  readShare,
} from '../../src/forms/constraints.js';
import { addApiError } from '../../src/forms/api-error.js';
import { NEW_ROUND_VALUES, categoryFields, parseRound, roundFieldOf, roundValuesFrom, roundValuesOf, type Round } from '../../src/forms/rounds.js';
import { ApiError } from '../../src/graphql/client.js';
import { FormErrors } from '../../src/lib/forms.js';

const fields = (errors: FormErrors) => errors.list.map((e) => e.href.slice(1));
const noRules = { categoryMax: [], categoryMin: [], areaMax: [], areaMin: [], minVotes: null, minShare: null, exclusive: [], mustFund: [] };

describe('a limit', () => {
  it('is whole pounds, sent as pence', () => {
    expect(readLimit('5000')).toEqual({ value: { pence: 500_000, share: null } });
    expect(readLimit(' £12,500 ')).toEqual({ value: { pence: 1_250_000, share: null } });
    expect(readLimit('0')).toEqual({ value: { pence: 0, share: null } });
    expect(readLimit('')).toEqual({ value: null });
  });
  it('or a share of the pot, written as the API writes it', () => {
    expect(readLimit('30%')).toEqual({ value: { pence: null, share: '30%' } });
    expect(readLimit('12.50 %')).toEqual({ value: { pence: null, share: '12.5%' } });
    expect(readShare('100%')).toBe('100%');
    expect(readShare('0.000001%')).toBe('0.000001%');
  });
  it('says what is wrong', () => {
    for (const typed of ['5000.50', '£12.5', 'lots', '-5', '101%', '100.5%', '12.1234567%', '%', '30%%']) {
      expect(readLimit(typed).error, typed).toBe('Enter whole pounds, like 5000, or a share of the pot, like 30%');
    }
  });
});

describe('the least support a bid needs', () => {
  it('is a number of votes or a share of the voters, never both', () => {
    expect(readLeastVotes('20')).toEqual({ value: { minVotes: 20, minShare: null } });
    expect(readLeastVotes('5%')).toEqual({ value: { minVotes: null, minShare: '5%' } });
    expect(readLeastVotes('')).toEqual({ value: { minVotes: null, minShare: null } });
    expect(readLeastVotes('twenty').error).toMatch(/number of votes, like 20, or a share/);
    expect(readLeastVotes('2.5').error).toBeDefined();
    expect(readLeastVotes('99999999999').error).toBeDefined();
  });
});

describe('bids named by id', () => {
  it('reads numbers separated by commas or spaces, each once', () => {
    expect(readIds('12, 15 18;3', 'number')).toEqual({ value: ['12', '15', '18', '3'] });
    expect(readIds('', 'number')).toEqual({ value: [] });
    expect(readIds('12, x', 'number').error).toBe('Enter bid numbers separated by commas, like 12, 15: “x” is not a bid number');
    expect(readIds('12, 12', 'number').error).toBe('Bid 12 is named twice');
    // A file's projects have ids of their own.
    expect(readIds('p1, park-2', 'name')).toEqual({ value: ['p1', 'park-2'] });
  });
  it('reads exclusive sets one a line, each of two bids or more, no bid in two', () => {
    expect(readExclusiveSets('12, 15\n\n 16,17 ,18 \r\n', 'number')).toEqual({ value: [['12', '15'], ['16', '17', '18']] });
    expect(readExclusiveSets('', 'number')).toEqual({ value: [] });
    expect(readExclusiveSets('12', 'number').error).toBe('A set needs at least two bids, separated by commas, like 12, 15');
    expect(readExclusiveSets('12, 15\n15, 16', 'number').error).toBe('Line 2: bid 15 is in more than one set, or twice in one');
    expect(readExclusiveSets('12, 12', 'number').error).toBe('Bid 12 is in more than one set, or twice in one');
    expect(readExclusiveSets('12, 15\n1, a', 'number').error).toBe('Line 2: “a” is not a bid number; write one set a line, like 12, 15');
    expect(readExclusiveSets('a, b', 'name')).toEqual({ value: [['a', 'b']] });
  });
});

describe('limits keyed by category or area (the simulator)', () => {
  it('reads one a line, the key before the last colon or equals sign', () => {
    expect(readKeyedLimits('transport: 30%\nyoung people = 5000\n', 'category')).toEqual({
      value: [
        { key: 'transport', pence: null, share: '30%' },
        { key: 'young people', pence: 500_000, share: null },
      ],
    });
    expect(readKeyedLimits('transport 30%', 'category').error).toBe('Line 1: write the category, a colon and the limit, like transport: 30% or transport: 5000');
    expect(readKeyedLimits('\nHeadingley: lots', 'area').error).toMatch(/^Line 2: write the area/);
    expect(readKeyedLimits(': 30%', 'category').error).toBeDefined();
    expect(readKeyedLimits('a: 1%\na: 2%', 'category').error).toBe('Line 2: a has a limit already');
  });
  it('writes them back as typed', () => {
    expect(keyedLimitsText([{ key: 'transport', pence: null, share: '30%' }, { key: 'culture', pence: 200_000, share: null }])).toBe('transport: 30%\nculture: 2000');
  });
});

describe('council rules read back', () => {
  const rules = { ...noRules, categoryMax: [{ key: 'transport', pence: null, share: '30%' }], minVotes: 3, exclusive: [['7', '8']], mustFund: ['9'] };
  it('as the input to send again, or none when empty', () => {
    expect(constraintsInput(rules)).toEqual({ ...rules, categoryMax: [{ key: 'transport', pence: null, share: '30%' }] });
    expect(constraintsInput(noRules)).toBeNull();
    expect(constraintsInput(null)).toBeNull();
  });
});

describe('the round form’s council rules', () => {
  const categories = ['community', 'young people', 'transport'];
  const base = { ...NEW_ROUND_VALUES, title: 'Summer 2027', 'pot-1': '25,000' };
  const parse = (body: Record<string, unknown>) => {
    const errors = new FormErrors();
    const input = parseRound(roundValuesFrom({ ...base, ...body }, ['1', '2'], categories), ['1', '2'], errors, categories, { 1: 'Headingley' });
    return { errors, input };
  };

  it('names a field for each category’s most and least', () => {
    expect(categoryFields(['young people'])).toEqual([{ name: 'young people', max: 'categoryMax-young-people', min: 'categoryMin-young-people' }]);
  });

  it('sends no rules when every field is empty', () => {
    const { errors, input } = parse({});
    expect(errors.any).toBe(false);
    expect(input.countingRule.constraints).toBeNull();
  });

  it('sends pounds as pence, shares as typed, bids by number', () => {
    const { errors, input } = parse({
      'categoryMax-young-people': '30%',
      'categoryMin-transport': '£2,000',
      'areaMax-2': '12.5%',
      'areaMin-1': '1000',
      leastVotes: '5%',
      exclusive: '12, 15\n16, 17',
      mustFund: '20 21',
    });
    expect(errors.list).toEqual([]);
    expect(input.countingRule).toMatchObject({
      name: 'mes-add1',
      constraints: {
        categoryMax: [{ key: 'young people', pence: null, share: '30%' }],
        categoryMin: [{ key: 'transport', pence: 200_000, share: null }],
        areaMax: [{ key: '2', pence: null, share: '12.5%' }],
        areaMin: [{ key: '1', pence: 100_000, share: null }],
        minVotes: null,
        minShare: '5%',
        exclusive: [['12', '15'], ['16', '17']],
        mustFund: ['20', '21'],
      },
    });
  });

  it('says what is wrong, beside each field', () => {
    const { errors } = parse({
      'categoryMax-community': '40',
      'categoryMin-community': '50',
      'categoryMax-transport': '10%',
      'categoryMin-transport': 'half',
      'areaMax-1': '5000.50',
      leastVotes: 'some',
      exclusive: '12',
      mustFund: '3, 3',
    });
    expect(fields(errors)).toEqual(['categoryMin-transport', 'areaMax-1', 'categoryMin-community', 'leastVotes', 'exclusive', 'mustFund']);
    expect(errors.byField['categoryMin-community']?.text).toBe('The least for community must not be more than the most');
    expect(errors.byField['categoryMin-transport']?.text).toBe('Enter the least for transport in whole pounds, like 5000, or as a share of the pot, like 30%');
    expect(errors.byField['areaMax-1']?.text).toBe('Enter the most for Headingley in whole pounds, like 5000, or as a share of the pot, like 30%');
    expect(errors.byField.exclusive?.text).toBe('A set needs at least two bids, separated by commas, like 12, 15');
  });

  it('fills the form with the round’s rules', () => {
    const round = {
      id: '7', title: 'R', description: '', phase: 'DRAFT', settingsFrozen: false,
      schedule: { bidsOpenAt: null, bidsCloseAt: null, votingOpensAt: null, votingClosesAt: null },
      ballot: { kind: 'APPROVAL', minChoices: null, maxChoices: null, scoreMin: null, scoreMax: null, pointsTotal: null, pointsMaxPerBid: null },
      countingRule: {
        name: 'greedy', seed: null, minSupport: null, rankPoints: null, seats: null,
        constraints: { ...noRules, categoryMax: [{ key: 'young people', pence: null, share: '30%' }], areaMin: [{ key: '1', pence: 500_000, share: null }], minVotes: 20, exclusive: [['12', '15'], ['16', '17']], mustFund: ['3'] },
      },
      eligibility: { relations: ['LIVE'], minAge: null, methods: ['REGISTER'], postcodeAloneEnough: false, acceptLowAssurance: false },
      pots: [],
    } as unknown as Round;
    expect(roundValuesOf(round)).toMatchObject({ 'categoryMax-young-people': '30%', 'areaMin-1': '5000', leastVotes: '20', exclusive: '12, 15\n16, 17', mustFund: '3' });
    // And back again, unchanged.
    const errors = new FormErrors();
    const again = parseRound({ ...roundValuesOf(round), 'pot-1': '5000' }, ['1'], errors, categories);
    expect(errors.any).toBe(false);
    expect(again.countingRule.constraints).toEqual({ ...round.countingRule.constraints, categoryMax: [{ key: 'young people', pence: null, share: '30%' }], areaMin: [{ key: '1', pence: 500_000, share: null }] });
  });

  it('shows the API’s refusal of the counting rule beside the council rules when some are given', () => {
    const refusal = new ApiError([{ code: 'INVALID_INPUT', field: 'countingRule', message: 'council rules apply only with the counting rules greedy, …, not `borda`' }]);
    const withRules = roundValuesFrom({ ...base, rule: 'borda', leastVotes: '3' }, ['1'], categories);
    const errors = addApiError(new FormErrors(), refusal, { field: 'title', fieldOf: roundFieldOf(withRules), every: true });
    expect(errors.list).toEqual([{ href: '#constraints', text: 'council rules apply only with the counting rules greedy, …, not `borda`' }]);
    const without = roundValuesFrom({ ...base, rule: 'borda' }, ['1'], categories);
    expect(fields(addApiError(new FormErrors(), refusal, { field: 'title', fieldOf: roundFieldOf(without), every: true }))).toEqual(['rule']);
  });
});

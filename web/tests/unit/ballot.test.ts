import { describe, expect, it } from 'vitest';
import { ordinal, readBallot, type BallotRules } from '../../src/lib/ballot.js';

const bids = [
  { id: 'a', costPence: 480000 },
  { id: 'b', costPence: 1850000 },
  { id: 'c', costPence: 960000 },
];
const rules = (r: Partial<BallotRules>): BallotRules => ({ kind: 'APPROVAL', potPence: 2500000, ...r });

describe('reading ballots', () => {
  it('approval: counts picks left and refuses too many', () => {
    const r = readBallot(rules({ maxChoices: 2 }), bids, { bid: ['a', 'c'] });
    expect(r.choice.bids).toEqual(['a', 'c']);
    expect(r.picksLeft).toBe(0);
    expect(r.problems).toEqual([]);
    expect(readBallot(rules({ maxChoices: 2 }), bids, { bid: ['a', 'b', 'c'] }).problems).toEqual([{ code: 'TOO_MANY', max: 2, count: 3 }]);
    expect(readBallot(rules({ maxChoices: 2 }), bids, { bid: ['a', 'nope'] }).choice.bids).toEqual(['a']);
  });

  it('knapsack: a running total against the pot', () => {
    const r = readBallot(rules({ kind: 'KNAPSACK' }), bids, { bid: ['a', 'b'] });
    expect(r.used).toBe(2330000);
    expect(r.left).toBe(170000);
    expect(r.problems).toEqual([]);
    const over = readBallot(rules({ kind: 'KNAPSACK' }), bids, { bid: ['a', 'b', 'c'] });
    expect(over.problems).toEqual([{ code: 'OVER_BUDGET', overPence: 790000 }]);
  });

  it('ranked: numbered positions become an order; repeats and gaps are refused', () => {
    expect(readBallot(rules({ kind: 'RANKED' }), bids, { 'rank-a': '2', 'rank-b': '', 'rank-c': '1' }).choice.bids).toEqual(['c', 'a']);
    expect(readBallot(rules({ kind: 'RANKED' }), bids, { 'rank-a': '1', 'rank-c': '1' }).problems).toEqual([{ code: 'RANK_REPEATED', rank: 1 }]);
    expect(readBallot(rules({ kind: 'RANKED' }), bids, { 'rank-a': '1', 'rank-c': '3' }).problems).toEqual([{ code: 'RANK_GAP', rank: 2 }]);
    expect(readBallot(rules({ kind: 'RANKED', minChoices: 2 }), bids, { 'rank-a': '1' }).problems).toEqual([{ code: 'TOO_FEW', min: 2 }]);
  });

  it('a blank ballot: refused, as the API refuses it, unless the round allows no choice', () => {
    expect(readBallot(rules({ kind: 'RANKED', minChoices: 1 }), bids, {}).problems).toEqual([{ code: 'BLANK' }]);
    expect(readBallot(rules({ kind: 'APPROVAL' }), bids, {}).problems).toEqual([{ code: 'BLANK' }]);
    expect(readBallot(rules({ kind: 'APPROVAL', minChoices: 0 }), bids, {}).problems).toEqual([]);
    expect(readBallot(rules({ kind: 'POINTS_ALLOCATION', pointsTotal: 10, minChoices: 0 }), bids, {}).problems).toEqual([{ code: 'BLANK' }]);
  });

  it('scoring: every bid needs a score on the scale', () => {
    const r = readBallot(rules({ kind: 'SCORING', scoreMin: 0, scoreMax: 5 }), bids, { 'score-a': '5', 'score-b': '0', 'score-c': '6' });
    expect(r.choice.amounts).toEqual({ a: 5, b: 0 });
    expect(r.problems).toEqual([{ code: 'SCORE_MISSING', bid: 'c' }]);
  });

  it('points: the remainder, the most per bid and the total', () => {
    const pr = rules({ kind: 'POINTS_ALLOCATION', pointsTotal: 10, pointsMaxPerBid: 6 });
    const r = readBallot(pr, bids, { 'amount-a': '6', 'amount-b': '3', 'amount-c': '' });
    expect(r.choice.amounts).toEqual({ a: 6, b: 3 });
    expect(r.left).toBe(1);
    expect(readBallot(pr, bids, { 'amount-a': '7' }).problems).toEqual([{ code: 'OVER_PER_BID', bid: 'a', max: 6 }]);
    expect(readBallot(pr, bids, { 'amount-a': '6', 'amount-b': '6' }).problems).toEqual([{ code: 'OVER_TOTAL', over: 2 }]);
    expect(readBallot(pr, bids, { 'amount-a': 'x' }).problems).toEqual([{ code: 'NOT_A_NUMBER', bid: 'a' }]);
  });

  it('money: pounds in, pence out, against the pot', () => {
    const r = readBallot(rules({ kind: 'MONEY_ALLOCATION' }), bids, { 'amount-a': '£4,800', 'amount-c': '100.50' });
    expect(r.choice.amounts).toEqual({ a: 480000, c: 10050 });
    expect(r.left).toBe(2500000 - 490050);
  });
});

describe('ordinals', () => {
  it.each([
    [1, 'en', '1st'], [2, 'en', '2nd'], [3, 'en', '3rd'], [4, 'en', '4th'], [11, 'en', '11th'], [22, 'en', '22nd'],
    [1, 'cy', '1af'], [2, 'cy', '2il'], [3, 'cy', '3ydd'], [4, 'cy', '4ydd'], [5, 'cy', '5ed'], [6, 'cy', '6ed'], [7, 'cy', '7fed'],
  ])('%i in %s is %s', (n, lang, expected) => {
    expect(ordinal(n, lang)).toBe(expected);
  });
});

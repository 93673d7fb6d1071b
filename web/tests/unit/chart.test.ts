import { describe, expect, it } from 'vitest';
import { potChart, width } from '../../src/lib/chart.js';

describe('the results chart', () => {
  it('draws whole percentages, at least 1% for anything above nothing', () => {
    expect(width(0, 10)).toBe(0);
    expect(width(1, 1000)).toBe(1);
    expect(width(5, 10)).toBe(50);
    expect(width(20, 10)).toBe(100);
    expect(width(3, 0)).toBe(0);
  });

  it('lists funded bids first, votes against the most votes and money against the pot', () => {
    const bars = potChart({
      budgetPence: 1_000_000,
      funded: [{ bid: { id: '2', title: 'Benches' }, amountPence: 250_000, votes: 8 }],
      unfunded: [{ id: '3', title: 'Bins', costPence: 900_000 }],
      unfundedBids: [{ bid: { id: '3' }, votes: 2 }],
    });
    expect(bars).toEqual([
      { id: '2', title: 'Benches', titleCy: null, funded: true, votes: 8, moneyPence: 250_000, votesWidth: 100, moneyWidth: 25 },
      { id: '3', title: 'Bins', titleCy: null, funded: false, votes: 2, moneyPence: 900_000, votesWidth: 25, moneyWidth: 90 },
    ]);
  });

  it('draws nothing for a pot with no votes', () => {
    const bars = potChart({ budgetPence: 100, funded: [], unfunded: [{ id: '1', title: 'A', costPence: 50 }] });
    expect(bars[0]).toMatchObject({ votes: 0, votesWidth: 0, moneyWidth: 50 });
  });
});

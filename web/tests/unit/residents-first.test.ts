// What residents read: a round's timetable, the ballot's "too many" error,
// a date of birth's errors, and the count explained in plain words.
import { describe, expect, it } from 'vitest';
import { tooManyText } from '../../src/forms/ballot.js';
import { checkDateOfBirth, parseDeclaration } from '../../src/forms/residents.js';
import { cy, en } from '../../src/i18n/index.js';
import { readBallot } from '../../src/lib/ballot.js';
import { summaryTexts } from '../../src/view-models/ballot.js';
import { whyNotFunded } from '../../src/view-models/results.js';
import { bidStatusText, timetable } from '../../src/view-models/timetable.js';

describe('a round’s timetable', () => {
  const now = new Date('2025-12-09T10:00:00Z');
  const closes = '2025-12-12T17:00:00Z';

  it('says when voting closes and the days left, in English and Welsh', () => {
    const round = { phase: 'VOTING', schedule: { votingClosesAt: closes } };
    expect(timetable(en, 'en', round, now)).toMatchObject({ phase: 'VOTING', votingOpen: true, status: 'Voting is open.', when: 'Voting closes at 5pm on Friday 12 December 2025.', left: '3 days left' });
    expect(timetable(cy, 'cy', round, now)).toMatchObject({ when: 'Mae’r pleidleisio’n cau am 5pm ddydd Gwener 12 Rhagfyr 2025.', left: '3 diwrnod ar ôl' });
    expect(timetable(cy, 'cy', round, new Date('2025-12-10T10:00:00Z')).left).toBe('2 ddiwrnod ar ôl');
    expect(timetable(en, 'en', round, new Date('2025-12-11T10:00:00Z')).left).toBe('1 day left');
    expect(timetable(en, 'en', round, new Date('2025-12-12T09:00:00Z')).left).toBe('Voting closes today');
  });

  it('follows the real stage: past its closing time voting has closed, whatever the phase still says', () => {
    const t = timetable(en, 'en', { phase: 'VOTING', schedule: { votingClosesAt: closes } }, new Date('2025-12-13T09:00:00Z'));
    expect(t).toMatchObject({ phase: 'CLOSED', votingOpen: false, when: 'Voting closed at 5pm on Friday 12 December 2025.', closesRow: '5pm on Friday 12 December 2025' });
    expect(t.status).not.toContain('open');
  });

  it('gives the time an officer closed voting, and never “To be announced” once it has closed', () => {
    const closed = timetable(en, 'en', { phase: 'CLOSED', phaseChangedAt: '2025-12-01T14:15:00Z', schedule: { votingClosesAt: null } }, now);
    expect(closed.when).toBe('Voting closed at 2:15pm on Monday 1 December 2025.');
    const published = timetable(en, 'en', { phase: 'PUBLISHED', phaseChangedAt: '2025-12-05T10:00:00Z', schedule: { votingClosesAt: null } }, now);
    expect(published.status).toBe('Voting has closed and the results are published.');
    expect(published.closesRow).toBe('Voting has closed');
    expect(timetable(en, 'en', { phase: 'VOTING', schedule: { votingClosesAt: null } }, now).when).toBe('The council will say when voting closes.');
  });

  it('gives the time voting really closed, also when an officer closed it early and once counted or published', () => {
    const early = '2025-12-10T11:30:00Z';
    for (const phase of ['CLOSED', 'COUNTED', 'PUBLISHED']) {
      // Closed two days before its scheduled time, then moved on.
      const before = timetable(en, 'en', { phase, phaseChangedAt: '2025-12-11T09:00:00Z', votingClosedAt: early, schedule: { votingClosesAt: closes } }, new Date('2025-12-11T10:00:00Z'));
      expect(before, phase).toMatchObject({ phase, votingOpen: false, when: 'Voting closed at 11:30am on Wednesday 10 December 2025.', closesRow: '11:30am on Wednesday 10 December 2025' });
      // Still the real time once the scheduled one has passed too.
      const after = timetable(cy, 'cy', { phase, votingClosedAt: early, schedule: { votingClosesAt: closes } }, new Date('2025-12-20T10:00:00Z'));
      expect(after.when, phase).toBe('Caeodd y pleidleisio am 11:30am ddydd Mercher 10 Rhagfyr 2025.');
    }
    // Past its closing time, before the API has closed it: the scheduled time.
    expect(timetable(en, 'en', { phase: 'VOTING', votingClosedAt: null, schedule: { votingClosesAt: closes } }, new Date('2025-12-13T09:00:00Z')).when).toBe('Voting closed at 5pm on Friday 12 December 2025.');
    // Never before voting has closed.
    expect(timetable(en, 'en', { phase: 'VOTING', votingClosedAt: null, schedule: { votingClosesAt: closes } }, now).when).toBe('Voting closes at 5pm on Friday 12 December 2025.');
  });

  it('says what a bid’s status means to a resident', () => {
    expect(bidStatusText(en, 'ELIGIBLE', 'VOTING')).toBe('On the ballot: you can vote for it');
    expect(bidStatusText(cy, 'ELIGIBLE', 'BID_REVIEW')).toBe(cy.bids.plain.soon);
    expect(bidStatusText(en, 'SUBMITTED', 'BIDS_OPEN')).toBe('The council is checking it');
  });
});

describe('the ballot', () => {
  const bids = [{ id: 'a', costPence: 100 }, { id: 'b', costPence: 100 }, { id: 'c', costPence: 100 }, { id: 'd', costPence: 100 }];
  const rules = { kind: 'APPROVAL' as const, maxChoices: 3, potPence: 1000 };

  it('says how many were chosen and the most, in both languages', () => {
    expect(tooManyText(en, 'en', 4, 3)).toBe('You have chosen 4 projects: choose no more than 3');
    expect(tooManyText(cy, 'cy', 4, 3)).toBe('Rydych wedi dewis 4 prosiect: peidiwch â dewis mwy na 3');
    expect(tooManyText(cy, 'cy', 3, 2)).toBe('Rydych wedi dewis 3 phrosiect: peidiwch â dewis mwy na 2');
  });

  it('shows the error in the running count, not “as many as you can”', () => {
    const c = { round: { id: '1', title: 'R' }, area: { id: '1', name: 'A' }, rules, bids: [], action: '', confirmAction: '' };
    const four = readBallot(rules, bids, { bid: ['a', 'b', 'c', 'd'] });
    expect(summaryTexts(en, 'en', c, four)).toMatchObject({ picksLeft: 'You have chosen 4 projects: choose no more than 3', tooMany: 'true' });
    expect(summaryTexts(en, 'en', c, readBallot(rules, bids, { bid: ['a', 'b', 'c'] })).picksLeft).toBe('You have chosen as many projects as you can');
  });
});

describe('a date of birth', () => {
  const today = new Date('2026-12-07T12:00:00Z');
  it('must be a real date, in the past', () => {
    expect(checkDateOfBirth('31', '2', '1950', today)).toEqual({ date: null, error: 'errorDobReal' });
    expect(checkDateOfBirth('1', '13', '1950', today).error).toBe('errorDobReal');
    expect(checkDateOfBirth('1', '1', '50', today).error).toBe('errorDobReal');
    expect(checkDateOfBirth('1', '1', '1890', today).error).toBe('errorDobReal');
    expect(checkDateOfBirth('1', '1', '2090', today).error).toBe('errorDobPast');
    expect(checkDateOfBirth('', '', '', today).error).toBe('errorDob');
    expect(checkDateOfBirth('27', '3', '1980', today)).toEqual({ date: '1980-03-27' });
  });
  it('is said in the page’s language', () => {
    const body = { name: 'Ada', 'dob-day': '31', 'dob-month': '2', 'dob-year': '1950', postcode: 'LS6 1AB' };
    expect(parseDeclaration(body, ['LIVE'], en).errors.list[0]?.text).toBe('Date of birth must be a real date');
    expect(parseDeclaration(body, ['LIVE'], cy).errors.list[0]?.text).toBe('Rhaid i’r dyddiad geni fod yn ddyddiad go iawn');
  });
});

describe('the count in plain words', () => {
  it('says why a bid was not funded, by the rule', () => {
    expect(whyNotFunded('mes-add1', 16, en.results)).toBe(en.results.whyMes);
    expect(whyNotFunded('greedy', 3, en.results)).toBe('It cost more than the money left when its turn came.');
    expect(whyNotFunded('irv', 3, en.results)).toBe('');
    expect(whyNotFunded('mes', 0, cy.results)).toBe(cy.results.whyNoVotes);
  });
});

describe('the start page’s rounds', () => {
  it('lists every round open for voting first, however many newer rounds there are, and never a draft', async () => {
    const { startPageRounds } = await import('../../src/routes/public.js');
    const round = (id: number, phase: string) => ({ id: String(id), phase });
    const recent = [round(30, 'DRAFT'), ...Array.from({ length: 19 }, (_, i) => round(29 - i, 'BIDS_OPEN'))];
    const voting = [round(2, 'VOTING')];
    const listed = startPageRounds(voting, recent);
    expect(listed[0]).toEqual(round(2, 'VOTING'));
    expect(listed).toHaveLength(20);
    expect(listed.some((r) => r.phase === 'DRAFT')).toBe(false);
    // A round open for voting and among the newest is listed once.
    expect(startPageRounds([round(29, 'VOTING')], [round(29, 'VOTING'), round(28, 'PUBLISHED')]).map((r) => r.id)).toEqual(['29', '28']);
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { areasForPostcode, coverageMatch, normalisePostcode } from '../../src/lib/postcode.js';
import { formatPence, parsePounds, penceToInput } from '../../src/lib/money.js';
import { dateFromParts, dayAndDate, daysUntil, formatTime, instantFromLocal, localFromInstant } from '../../src/lib/dates.js';
import { localPath } from '../../src/lib/safe-redirect.js';
import { FormErrors, str, strs } from '../../src/lib/forms.js';
import { latestMessages, parseEml, parseLetterText } from '../../src/routes/dev.js';

describe('postcodes', () => {
  it.each([
    ['ls61ab', 'LS6 1AB'],
    [' LS6 1AB ', 'LS6 1AB'],
    ['sw1a 1aa', 'SW1A 1AA'],
    ['M1 1AE', 'M1 1AE'],
    ['nonsense', null],
    ['LS6', null],
  ])('normalises %s', (input, expected) => {
    expect(normalisePostcode(input)).toBe(expected);
  });

  it('matches full postcodes, sectors and districts', () => {
    expect(coverageMatch('LS6 1AB', 'LS6')).toBe(3);
    expect(coverageMatch('LS6 1AB', 'LS6 1')).toBe(5);
    expect(coverageMatch('LS6 1AB', 'ls6 1ab')).toBe(7);
    expect(coverageMatch('LS6 1AB', 'LS6 2')).toBe(0);
    expect(coverageMatch('LS16 1AB', 'LS1')).toBe(0);
  });

  it('prefers the area with the longest match', () => {
    const areas = [
      { id: 'district', coverage: ['LS6'] },
      { id: 'sector', coverage: ['LS6 1'] },
      { id: 'other', coverage: ['LS7'] },
    ];
    expect(areasForPostcode('LS6 1AB', areas).map((a) => a.id)).toEqual(['sector', 'district']);
    expect(areasForPostcode('LS9 1AB', areas)).toEqual([]);
  });
});

describe('money', () => {
  it.each([
    ['4500', 450000],
    ['£4,500.5', 450050],
    ['0.99', 99],
    ['12.345', null],
    ['-1', null],
    ['abc', null],
  ])('parses %s', (input, expected) => {
    expect(parsePounds(input)).toBe(expected);
  });

  it('formats pence', () => {
    expect(formatPence(450000)).toBe('£4,500');
    expect(formatPence(450050)).toBe('£4,500.50');
    expect(penceToInput(450050)).toBe('4500.50');
    expect(penceToInput(450000)).toBe('4500');
  });
});

describe('dates', () => {
  it('checks real dates', () => {
    expect(dateFromParts('27', '3', '1980')).toBe('1980-03-27');
    expect(dateFromParts('31', '2', '1980')).toBeNull();
    expect(dateFromParts('', '2', '1980')).toBeNull();
  });

  it('reads London wall time across summer time', () => {
    expect(instantFromLocal('2027-01-15', '09:00')).toBe('2027-01-15T09:00:00.000Z');
    expect(instantFromLocal('2027-07-15', '09:00')).toBe('2027-07-15T08:00:00.000Z');
    expect(localFromInstant('2027-07-15T08:00:00Z')).toEqual({ date: '2027-07-15', time: '09:00' });
  });
});

describe('redirects after sign-in', () => {
  it('stay on this site', () => {
    expect(localPath('/rounds/1/verify')).toBe('/rounds/1/verify');
    expect(localPath('//evil.example')).toBe('/');
    expect(localPath('https://evil.example')).toBe('/');
    expect(localPath('/\\evil.example')).toBe('/');
    expect(localPath(undefined, '/account')).toBe('/account');
  });
});

describe('forms', () => {
  it('collect errors for the summary and the fields', () => {
    const e = new FormErrors().add('title', 'Enter a title').add('title', 'second is ignored');
    expect(e.any).toBe(true);
    expect(e.list).toEqual([{ text: 'Enter a title', href: '#title' }]);
    expect(e.byField).toEqual({ title: { text: 'Enter a title' } });
    expect(str({ a: ' x ' }, 'a')).toBe('x');
    expect(strs({ a: ['x', 'y'] }, 'a')).toEqual(['x', 'y']);
    expect(strs({ a: 'x' }, 'a')).toEqual(['x']);
  });
});

describe('development messages', () => {
  it('reads a plain email', () => {
    const raw = 'From: Fairshare <no-reply@fairshare.localhost>\r\nTo: ada@example.org\r\nSubject: Your Fairshare sign-in code: 123456\r\nContent-Transfer-Encoding: 7bit\r\n\r\nHello\r\n';
    expect(parseEml(raw)).toEqual({ to: 'ada@example.org', subject: 'Your Fairshare sign-in code: 123456', body: 'Hello' });
  });

  it('decodes encoded subjects and quoted-printable bodies', () => {
    const raw = 'To: b@example.org\nSubject: =?utf-8?b?Q29kIOKAkyAxMjM0NTY=?=\nContent-Transfer-Encoding: quoted-printable\n\ncaf=C3=A9 =\nok\n';
    expect(parseEml(raw)).toEqual({ to: 'b@example.org', subject: 'Cod – 123456', body: 'café ok' });
  });

  it('reads a reminder letter: the address, a blank line, the subject, a blank line, the body', () => {
    const raw = 'Gwen Demo\n12 Woodhouse Street\nLeeds\nLS6 1AB\n\nVoting in Summer Streets closes on 9 June\n\nVoting closes soon.\n\nNeighbourhood Fund\n';
    expect(parseLetterText(raw)).toEqual({
      to: 'Gwen Demo, 12 Woodhouse Street, Leeds, LS6 1AB',
      subject: 'Voting in Summer Streets closes on 9 June',
      body: 'Voting closes soon.\n\nNeighbourhood Fund',
    });
  });

  it('lists letters with the rest, newest first: a reminder letter in full, a finished letter by its file’s name', async () => {
    const letters = mkdtempSync(path.join(tmpdir(), 'letters-'));
    try {
      writeFileSync(path.join(letters, '20261207T200000.000001-a.txt'), 'Gwen Demo\n12 Woodhouse Street\nLS6 1AB\n\nVoting opens\n\nYou can vote now.\n');
      writeFileSync(path.join(letters, '20261207T200500.000001-b.pdf'), '%PDF-');
      writeFileSync(path.join(letters, 'notes.md'), 'not a letter');
      const messages = await latestMessages({ devMailDir: undefined, devSmsDir: undefined, devLetterDir: letters });
      expect(messages).toEqual([
        { kind: 'letter', at: '20261207T200500.000', to: '', subject: '', body: '', file: '20261207T200500.000001-b.pdf' },
        { kind: 'letter', at: '20261207T200000.000', to: 'Gwen Demo, 12 Woodhouse Street, LS6 1AB', subject: 'Voting opens', body: 'You can vote now.' },
      ]);
    } finally {
      rmSync(letters, { recursive: true, force: true });
    }
  });
});

describe('dates for residents', () => {
  it('writes times as GOV.UK does, in London time', () => {
    expect(formatTime('2025-12-12T17:00:00Z')).toBe('5pm');
    expect(formatTime('2025-06-12T16:30:00Z')).toBe('5:30pm');
    expect(formatTime('2025-12-12T12:00:00Z')).toBe('midday');
    expect(formatTime('2025-12-12T12:00:00Z', 'cy')).toBe('hanner dydd');
    expect(formatTime('2025-12-12T00:00:00Z')).toBe('midnight');
    expect(formatTime('2025-12-12T09:05:00Z')).toBe('9:05am');
    expect(dayAndDate('2025-12-12T17:00:00Z')).toEqual({ weekday: 'Friday', date: '12 December 2025' });
    expect(dayAndDate('2025-12-12T17:00:00Z', 'cy')).toEqual({ weekday: 'Gwener', date: '12 Rhagfyr 2025' });
    const now = new Date('2025-12-09T10:00:00Z');
    expect(daysUntil('2025-12-12T17:00:00Z', now)).toBe(3);
    expect(daysUntil('2025-12-09T23:30:00Z', now)).toBe(0);
    // 23:30 UTC in summer is the next day in London.
    expect(daysUntil('2025-06-09T23:30:00Z', new Date('2025-06-09T10:00:00Z'))).toBe(1);
    expect(daysUntil(null, now)).toBeNull();
  });
});

// Residents' forms and pages, one describe per route module in src/routes/.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { choicesFor, formFromBody, formFromLines, problemErrors, wholeBallotField, type BallotContext } from '../../src/forms/ballot.js';
import { addApiError } from '../../src/forms/api-error.js';
import { CODE_LIFETIME_MINUTES, DISPLAY_NAME_MAX, displayNameApiErrors, parseDeclaration, parseDeletion, parseDisplayName, parsePostcode, parseSignInEmail, typedCode } from '../../src/forms/residents.js';
import { ApiError } from '../../src/graphql/client.js';
import { parseReceipt } from '../../src/forms/results.js';
import type { VerificationMethod } from '../../src/graphql/generated/graphql.js';
import { cy, en } from '../../src/i18n/index.js';
import { readBallot } from '../../src/lib/ballot.js';
import { FormErrors } from '../../src/lib/forms.js';
import { bidsInOrder, checkLines, hiddenFields, scoreScale, summaryTexts } from '../../src/view-models/ballot.js';
import { publishedVersions } from '../../src/view-models/results.js';
import { offeredMethods } from '../../src/view-models/verify.js';

const bid = (id: string, costPence: number) => ({ id, title: `Bid ${id}`, summary: '', costPence, group: { name: 'G' } });
const ballot = (rules: BallotContext['rules']): BallotContext => ({
  round: { id: '2', title: 'R' },
  area: { id: '1', name: 'A' },
  rules,
  bids: [bid('10', 30_000), bid('11', 50_000), bid('12', 40_000)],
  action: '/rounds/2/vote',
  confirmAction: '/rounds/2/vote/confirm',
});

describe('public', () => {
  it('reads a postcode in its written form, or says what is wrong in the page’s language', () => {
    expect(parsePostcode({ postcode: 'ls61ab' }, en)).toMatchObject({ postcode: 'LS6 1AB', values: { postcode: 'ls61ab' } });
    expect(parsePostcode({}, cy).errors.list[0]?.text).toBe(cy.postcode.errorEmpty);
    expect(parsePostcode({ postcode: 'nonsense' }, en).errors.list[0]?.text).toBe(en.postcode.errorInvalid);
  });
});

describe('account', () => {
  it('deletes an account only with its box ticked', () => {
    expect(parseDeletion({ confirm: 'yes' }, en).confirmed).toBe(true);
    expect(parseDeletion({ confirm: ['no'] }, cy).errors.byField).toEqual({ confirm: { text: cy.account.deleteErrorConfirm } });
  });
  it('takes a name of at most 60 characters, trimmed, or an empty one that removes it', () => {
    expect(parseDisplayName({ name: '  Siân Jones ' }, cy)).toMatchObject({ name: 'Siân Jones', values: { name: 'Siân Jones' } });
    expect(parseDisplayName({}, en)).toMatchObject({ name: '', values: { name: '' } });
    expect(parseDisplayName({ name: '   ' }, en).name).toBe('');
    // Counted as the API counts: by character, so 60 Welsh or emoji characters are allowed.
    expect(parseDisplayName({ name: 'ŵ'.repeat(DISPLAY_NAME_MAX) }, cy).name).toBe('ŵ'.repeat(60));
    expect(parseDisplayName({ name: '🌳'.repeat(60) }, en).errors.any).toBe(false);
    const long = parseDisplayName({ name: 'a'.repeat(61) }, cy);
    expect(long.name).toBeNull();
    expect(long.values.name).toBe('a'.repeat(61));
    expect(long.errors.byField).toEqual({ name: { text: cy.account.nameErrorLong } });
    expect(parseDisplayName({ name: 'Olu\u0007' }, en).errors.byField).toEqual({ name: { text: en.account.nameErrorCharacters } });
  });
  it('puts the API’s refusal of a name beside the field, in the page’s language', () => {
    const refused = new ApiError([{ code: 'INVALID_INPUT', message: 'your name contains characters that cannot be shown', field: 'displayName' }]);
    expect(addApiError(new FormErrors(), refused, displayNameApiErrors(cy)).byField).toEqual({ name: { text: cy.account.nameErrorCharacters } });
    const limited = new ApiError([{ code: 'RATE_LIMITED', message: 'slow down' }]);
    expect(addApiError(new FormErrors(), limited, displayNameApiErrors(en)).byField).toEqual({ name: { text: en.api.RATE_LIMITED } });
    expect(() => addApiError(new FormErrors(), new ApiError([{ code: 'INTERNAL', message: 'boom' }]), displayNameApiErrors(en))).toThrow(ApiError);
  });
});

describe('auth', () => {
  it('asks for an email address, in the page’s language', () => {
    expect(parseSignInEmail({}, cy).errors.list[0]?.text).toBe(cy.signIn.errorEmailEmpty);
    expect(parseSignInEmail({ email: 'nope' }, en).errors.list[0]?.text).toBe(en.signIn.errorEmailInvalid);
    expect(parseSignInEmail({ email: ' ada@example.com ' }, en).email).toBe('ada@example.com');
    expect(typedCode({ code: ' 123 456 ' })).toBe('123456');
  });
  it('says a code lasts as long as the API lets it, as its emails do', () => {
    const api = readFileSync(new URL('../../../api/src/service/codes.rs', import.meta.url), 'utf8');
    expect(Number(/CODE_LIFETIME_MINUTES: i64 = (\d+);/.exec(api)?.[1])).toBe(CODE_LIFETIME_MINUTES);
  });
});

describe('verify', () => {
  it('reads who you are, with the round’s only relation when it has one', () => {
    const body = { name: 'Ada', 'dob-day': '27', 'dob-month': '3', 'dob-year': '1980', postcode: 'LS6 1AB' };
    expect(parseDeclaration(body, ['LIVE'], en).person).toEqual({ name: 'Ada', dateOfBirth: '1980-03-27', postcode: 'LS6 1AB', relation: 'LIVE' });
    const two = parseDeclaration(body, ['LIVE', 'WORK'], en);
    expect(two.person).toBeNull();
    expect(two.errors.byField).toEqual({ relation: { text: en.verify.errorRelation } });
    expect(parseDeclaration({}, ['LIVE'], cy).errors.list.map((e) => e.href)).toEqual(['#name', '#dob-day', '#postcode']);
  });
  it('offers the ways still to try: the register only when there is one, and no proof twice', () => {
    const methods: VerificationMethod[] = ['POSTCODE', 'SMS', 'EMAIL', 'REGISTER', 'IN_PERSON'];
    const round = (registerAvailable: boolean) => ({ eligibility: { methods }, registerAvailable });
    expect(offeredMethods(round(false))).toEqual(['SMS', 'EMAIL', 'IN_PERSON']);
    expect(offeredMethods(round(true))).toEqual(['SMS', 'EMAIL', 'REGISTER', 'IN_PERSON']);
    expect(offeredMethods(round(true), ['POSTCODE', 'EMAIL'])).toEqual(['SMS', 'REGISTER', 'IN_PERSON']);
    expect(offeredMethods({ eligibility: { methods: ['POSTCODE', 'REGISTER'] }, registerAvailable: false })).toEqual([]);
  });
});

describe('vote', () => {
  it('reads a posted ballot’s own fields only', () => {
    const c = ballot({ kind: 'RANKED', potPence: 100_000 });
    expect(formFromBody({ 'rank-10': '2', 'rank-11': '1', 'rank-99': '3', other: 'x' }, c.bids)).toEqual({ 'rank-10': '2', 'rank-11': '1' });
    expect(formFromBody({ bid: '10' }, c.bids)).toEqual({ bid: ['10'] });
    expect(formFromLines('MONEY_ALLOCATION', [{ position: 1, value: 12_345, bid: { id: '10' } }])).toEqual({ 'amount-10': '123.45' });
  });
  it('says what is wrong beside the ballot, and sends the choices in order', () => {
    const c = ballot({ kind: 'APPROVAL', minChoices: 2, potPence: 100_000 });
    const reading = readBallot(c.rules, c.bids, { bid: ['11'] });
    expect(problemErrors(en, 'en', reading.problems, c).byField).toEqual({ bid: { text: 'Choose at least 2' } });
    const ranked = ballot({ kind: 'RANKED', potPence: 0 });
    expect(wholeBallotField(ranked)).toBe('rank-10');
    const form = { 'rank-12': '1', 'rank-10': '2' };
    const r = readBallot(ranked.rules, ranked.bids, form);
    expect(choicesFor(ranked, r)).toEqual([{ bidId: '12' }, { bidId: '10' }]);
    expect(bidsInOrder(ranked, form).map((b) => b.id)).toEqual(['12', '10', '11']);
    expect(checkLines(en, 'en', ranked, r)).toEqual([{ key: '1st', value: 'Bid 12' }, { key: '2nd', value: 'Bid 10' }]);
  });
  it('works out totals on the server', () => {
    const c = ballot({ kind: 'KNAPSACK', potPence: 100_000 });
    const texts = summaryTexts(en, 'en', c, readBallot(c.rules, c.bids, { bid: ['10', '11', '12'] }));
    expect(texts.over).not.toBe('');
    expect(scoreScale({ kind: 'SCORING', scoreMin: 1, scoreMax: 3, potPence: 0 })).toEqual([1, 2, 3]);
    expect(hiddenFields({ bid: ['10', '11'], 'amount-12': '3' })).toEqual([['bid', '10'], ['bid', '11'], ['amount-12', '3']]);
  });
});

describe('results', () => {
  it('checks a receipt code’s form before asking the API', () => {
    expect(parseReceipt({}, en).errors.list[0]?.text).toBe(en.receipt.errorEmpty);
    expect(parseReceipt({ code: 'abc' }, cy).errors.list[0]?.text).toBe(cy.receipt.errorFormat);
    expect(parseReceipt({ code: ' 7k3m 9qxd 2rtf hj4w ' }, en).code).toBe('7K3M-9QXD-2RTF-HJ4W');
  });
  it('lists the published versions, newest first', () => {
    const versions = [{ version: 1, publishedAt: 'x' }, { version: 3, publishedAt: null }, { version: 2, publishedAt: 'y' }];
    expect(publishedVersions(versions, 1)).toEqual({ versions: [versions[2], versions[0]], latest: 2, isLatest: false });
  });
});

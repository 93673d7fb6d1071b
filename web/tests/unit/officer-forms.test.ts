// The staff forms, one describe per route module in src/routes/officer/.
import { describe, expect, it } from 'vitest';
import { addApiError } from '../../src/forms/api-error.js';
import { IN_PERSON_API_ERRORS, PAPER_FORM_API_ERRORS, POST_LETTERS_API_ERRORS, ROLE_REMOVAL_API_ERRORS, conflictResolution, coverageList, csvText, letterFormat, lettersApiErrors, parseArea, parseInPerson, parseLetter, parseLetters, parsePaperForm, parseRegister, parseReview, parseRole, roleFromPath } from '../../src/forms/officer.js';
import { parseCorrection } from '../../src/forms/results.js';
import { NEW_ROUND_VALUES, parseRound, roundUpdate, roundValuesFrom, roundValuesOf, withFixedValues, type Round } from '../../src/forms/rounds.js';
import { ApiError } from '../../src/graphql/client.js';
import { FormErrors } from '../../src/lib/forms.js';
import { paperBallotHref } from '../../src/routes/officer/paper-forms.js';
import { afterParam, letterBatch, letterFile, lettersCount, phaseMove, postedText, phasePath, reviewPage, reviewStatus, rolesPage, verificationCounts } from '../../src/view-models/officer.js';

const fields = (errors: FormErrors) => errors.list.map((e) => e.href.slice(1));

describe('officer/areas', () => {
  it('needs a name, a kind for a new area, and some coverage', () => {
    expect(fields(parseArea({}, { isNew: true }).errors)).toEqual(['name', 'kind', 'coverage']);
    expect(fields(parseArea({}, { isNew: false }).errors)).toEqual(['name', 'coverage']);
  });
  it('reads coverage one a line or separated by commas', () => {
    expect(coverageList('LS6 1\n LS6 2, LS7;;\n')).toEqual(['LS6 1', 'LS6 2', 'LS7']);
    const { input, values } = parseArea({ name: ' Headingley ', kind: 'ward', description: '', coverage: 'LS6 3' }, { isNew: true });
    expect(input).toEqual({ details: { name: 'Headingley', kind: 'ward', description: '', nameCy: '', descriptionCy: '' }, coverage: ['LS6 3'] });
    const welsh = parseArea({ name: 'Headingley', kind: 'ward', nameCy: ' Headingley Cymraeg ', coverage: 'LS6 3' }, { isNew: false });
    expect(welsh.input?.details.nameCy).toBe('Headingley Cymraeg');
    expect(values.coverage).toBe('LS6 3');
  });
});

describe('officer/roles', () => {
  it('needs an email address and one of the roles', () => {
    expect(fields(parseRole({ email: 'nope', role: 'KING' }).errors)).toEqual(['email', 'role']);
    expect(parseRole({ email: 'a@b.uk', role: 'COUNCILLOR' }).input).toEqual({ email: 'a@b.uk', role: 'COUNCILLOR' });
  });
  it('reads the role to take away from the address, and nothing else', () => {
    expect(roleFromPath('officer')).toBe('OFFICER');
    expect(roleFromPath('admin')).toBe('ADMIN');
    expect(roleFromPath('ADMIN')).toBeNull();
    expect(roleFromPath('resident')).toBeNull();
    expect(roleFromPath(['officer'])).toBeNull();
  });
  it('shows the API’s refusal to take your own admin role away beside the buttons', () => {
    const own = new ApiError([{ code: 'INVALID_INPUT', message: 'you cannot remove your own admin role', field: 'accountId' }]);
    expect(addApiError(new FormErrors(), own, ROLE_REMOVAL_API_ERRORS).list).toEqual([{ text: 'you cannot remove your own admin role', href: '#remove' }]);
    expect(() => addApiError(new FormErrors(), new ApiError([{ code: 'NOT_AUTHORISED', message: 'admins only' }]), ROLE_REMOVAL_API_ERRORS)).toThrow(ApiError);
  });
  it('lists the people who hold a role, with a link to take each role away and the next page', () => {
    const holders = {
      nodes: [
        { id: '3', displayName: null, roles: ['ADMIN' as const], hasSignedIn: true },
        { id: '9', displayName: ' Olu Officer ', roles: ['OFFICER' as const, 'COUNCILLOR' as const], hasSignedIn: false },
      ],
      pageInfo: { hasNextPage: true, endCursor: 'Mg==' },
    };
    const page = rolesPage(holders, null, '3');
    expect(page.holders).toEqual([
      { id: '3', name: null, isYou: true, who: 'the person with no name (account 3)', hasSignedIn: true, roles: [{ role: 'ADMIN', name: 'admin', removeHref: '/officer/roles/3/admin/remove' }] },
      {
        id: '9',
        name: 'Olu Officer',
        isYou: false,
        who: 'Olu Officer',
        hasSignedIn: false,
        roles: [
          { role: 'OFFICER', name: 'officer', removeHref: '/officer/roles/9/officer/remove' },
          { role: 'COUNCILLOR', name: 'councillor', removeHref: '/officer/roles/9/councillor/remove' },
        ],
      },
    ]);
    expect(page.next).toBe('/officer/roles?after=Mg%3D%3D');
    expect(page.first).toBeNull();
    const last = rolesPage({ nodes: [], pageInfo: { hasNextPage: false, endCursor: null } }, 'Mg==', '3');
    expect(last).toEqual({ holders: [], next: null, first: '/officer/roles' });
  });
});

describe('officer/rounds', () => {
  const body = { ...NEW_ROUND_VALUES, title: 'Summer 2027', 'pot-1': '25,000', 'bidsOpenAt-date': '2027-05-01', minChoices: '1', rankPoints: '3, 2 1' };
  it('builds the API’s input from the form', () => {
    const errors = new FormErrors();
    const input = parseRound(roundValuesFrom(body, ['1', '2']), ['1', '2'], errors);
    expect(errors.any).toBe(false);
    expect(input.pots).toEqual([{ areaId: '1', amountPence: 2_500_000 }]);
    expect(input.ballot).toMatchObject({ kind: 'APPROVAL', minChoices: 1, maxChoices: null });
    expect(input.countingRule).toMatchObject({ name: 'mes-add1', rankPoints: [3, 2, 1] });
    expect(input.schedule.bidsOpenAt).toBe('2027-05-01T08:00:00.000Z');
    expect(input.eligibility).toMatchObject({ relations: ['LIVE'], methods: ['REGISTER', 'IN_PERSON'], postcodeAloneEnough: false });
  });
  it('says what is wrong, field by field', () => {
    const errors = new FormErrors();
    parseRound(roundValuesFrom({ kind: 'X', minChoices: '1.5', 'votingOpensAt-date': '2027-02-30' }, ['1']), ['1'], errors);
    expect(fields(errors)).toEqual(['title', 'pot-1', 'kind', 'minChoices', 'rule', 'votingOpensAt-date', 'relations', 'methods']);
  });
  it('keeps pots once bids open and settings once frozen, whatever is posted', () => {
    const round = {
      id: '7', title: 'Old', description: '', phase: 'BIDS_OPEN', settingsFrozen: true,
      schedule: { bidsOpenAt: null, bidsCloseAt: null, votingOpensAt: null, votingClosesAt: null },
      ballot: { kind: 'RANKED', minChoices: null, maxChoices: 3, scoreMin: null, scoreMax: null, pointsTotal: null, pointsMaxPerBid: null },
      countingRule: { name: 'borda', seed: null, minSupport: null, rankPoints: null, seats: null },
      eligibility: { relations: ['LIVE'], minAge: 16, methods: ['POSTCODE'], postcodeAloneEnough: true, acceptLowAssurance: false },
      pots: [{ amountPence: 100_00, area: { id: '1' } }],
    } as unknown as Round;
    expect(roundValuesOf(round)).toMatchObject({ kind: 'RANKED', maxChoices: '3', minAge: '16', 'pot-1': '100', postcodeAloneEnough: 'yes' });
    const values = withFixedValues(roundValuesFrom({ title: 'New', kind: 'APPROVAL', 'pot-1': '5' }, ['1']), round);
    expect(values).toMatchObject({ title: 'New', kind: 'RANKED', 'pot-1': '100' });
    const update = roundUpdate(round, parseRound(values, ['1']));
    expect(update.input).toMatchObject({ title: 'New', pots: null, eligibility: null });
  });
});

describe('officer/review', () => {
  it('names the decision and reason after the bid, and asks a reason unless eligible', () => {
    expect(parseReview({ decision: 'ELIGIBLE' }, '5').input).toEqual({ id: '5', decision: 'ELIGIBLE', reason: null });
    const refused = parseReview({ decision: 'INELIGIBLE', reason: '' }, '5');
    expect(fields(refused.errors)).toEqual(['reason-5']);
    expect(refused.values).toEqual({ 'decision-5': 'INELIGIBLE', 'reason-5': '' });
    expect(fields(parseReview({}, '5').errors)).toEqual(['decision-5']);
  });
  it('pages the list by status', () => {
    expect(reviewStatus('ELIGIBLE')).toBe('ELIGIBLE');
    expect(reviewStatus('DRAFT')).toBeNull();
    expect(afterParam('')).toBeNull();
    const round = { id: '7', title: 'R', phase: 'BID_REVIEW', bids: { nodes: [], pageInfo: { hasNextPage: true, endCursor: 'c 1' } } };
    expect(reviewPage(round as never, 'ELIGIBLE', 'x')).toMatchObject({ next: '/officer/rounds/7/bids?status=ELIGIBLE&after=c%201', first: '/officer/rounds/7/bids?status=ELIGIBLE' });
    expect(reviewPage(round as never, null, null)).toMatchObject({ next: '/officer/rounds/7/bids?after=c%201', first: null });
  });
});

describe('officer/verification', () => {
  it('needs the register file and its columns', () => {
    expect(fields(parseRegister({}, undefined, '7').errors)).toEqual(['file', 'dateOfBirth', 'postcode', 'fullName']);
    const { input } = parseRegister({ givenNames: 'first', familyName: 'last', dateOfBirth: 'dob', postcode: 'pc' }, { buffer: Buffer.from('a,b') }, '7');
    expect(input).toMatchObject({ roundId: '7', content: 'YSxi', encoding: 'BASE64', columns: { fullName: null, givenNames: 'first', familyName: 'last' } });
  });
  it('checks a person verified in person', () => {
    expect(fields(parseInPerson({ 'dob-day': '31', 'dob-month': '2', 'dob-year': '1980' }).errors)).toEqual(['name', 'dob-day', 'postcode', 'relation', 'evidence']);
    const ok = parseInPerson({ name: 'Ada', 'dob-day': '27', 'dob-month': '3', 'dob-year': '1980', postcode: 'LS6 1AB', relation: 'LIVE', evidence: 'PHOTO_ID', phone: '' });
    expect(ok.input).toEqual({ person: { name: 'Ada', dateOfBirth: '1980-03-27', postcode: 'LS6 1AB', relation: 'LIVE' }, evidence: 'PHOTO_ID', email: null, phone: null, reference: null });
    const online = parseInPerson({ name: 'Ada', 'dob-day': '27', 'dob-month': '3', 'dob-year': '1980', postcode: 'LS6 1AB', relation: 'LIVE', evidence: 'PHOTO_ID', reference: ' 1234-K7QX2 ' });
    expect(online.input?.reference).toBe('1234-K7QX2');
  });
  it('puts what the API says about someone who started online beside the reference', () => {
    const started = new ApiError([{ code: 'STARTED_ONLINE', message: 'this person started proving who they are online: ask them for the reference on their screen' }]);
    expect(addApiError(new FormErrors(), started, IN_PERSON_API_ERRORS).list).toEqual([{ text: started.errors[0]?.message, href: '#reference' }]);
    const wrong = new ApiError([{ code: 'INVALID_INPUT', message: 'this reference is not right', field: 'reference' }]);
    expect(addApiError(new FormErrors(), wrong, IN_PERSON_API_ERRORS).byField).toEqual({ reference: { text: 'this reference is not right' } });
    const other = new ApiError([{ code: 'ALREADY_VERIFIED_ELSEWHERE', message: 'already verified' }]);
    expect(addApiError(new FormErrors(), other, IN_PERSON_API_ERRORS).list).toEqual([{ text: 'already verified', href: '#name' }]);
  });
  it('resolves a conflict only in the ways offered', () => {
    expect(conflictResolution({ resolution: 'DISTINCT_PEOPLE' })).toBe('DISTINCT_PEOPLE');
    expect(conflictResolution({ resolution: 'DROP_TABLES' })).toBe('KEEP_EXISTING');
    expect(verificationCounts([{ verified: true, held: false }, { verified: false, held: true }, { verified: false, held: false }])).toEqual({ total: 3, verified: 1, held: 1 });
  });
});

describe('officer/letters', () => {
  it('sends a names and addresses file as text, or nothing for everyone waiting; an address for one letter', () => {
    expect(parseLetters(undefined).input).toEqual({ addresses: null });
    const csv = 'reference,name,address_1\nV12,Siân Jones,1 High St\n';
    expect(parseLetters({ buffer: Buffer.from(csv) }).input).toEqual({ addresses: csv });
    expect(parseLetters({ buffer: Buffer.alloc(0) }).errors.byField).toEqual({ addresses: { text: 'The selected file is empty' } });
    expect(fields(parseLetter({}, '3').errors)).toEqual(['name', 'line1']);
    expect(parseLetter({ name: 'Ada', line1: '1 High St', town: 'Leeds' }, '3').input).toEqual({ verificationId: '3', name: 'Ada', address: ['1 High St', 'Leeds'] });
  });
  it('reads a file saved by a spreadsheet as UTF-8 (its byte order mark dropped) or as Windows-1252', () => {
    expect(csvText(Buffer.from('name\nSiân', 'utf8'))).toBe('name\nSiân');
    expect(csvText(Buffer.from('\ufeffname', 'utf8'))).toBe('name');
    expect(csvText(Buffer.from([0x53, 0x69, 0xe2, 0x6e]))).toBe('Siân');
  });
  it('puts what the API says about the file beside it, in its own words naming the line', () => {
    const refused = (code: string, message: string, field?: string) => addApiError(new FormErrors(), new ApiError([{ code, message, field }]), lettersApiErrors(true)).list;
    const line = 'line 3: "X12" is not a letter reference: a reference is V and a number, like V12';
    expect(refused('INVALID_INPUT', line, 'addresses')).toEqual([{ text: line, href: '#addresses' }]);
    expect(refused('INVALID_INPUT', 'V12 is named twice: each person can be named once', 'recipients')).toEqual([{ text: 'V12 is named twice: each person can be named once', href: '#addresses' }]);
    expect(refused('NOT_VERIFIED', 'V4 cannot vote in this round yet')).toEqual([{ text: 'V4 cannot vote in this round yet', href: '#addresses' }]);
  });
  it('says that everyone waiting has a code, and where the letters already issued are', () => {
    const nobody = new ApiError([{ code: 'NOT_FOUND', message: 'everyone who can vote in this round without an account already has a voting code' }]);
    const withBatches = addApiError(new FormErrors(), nobody, lettersApiErrors(true)).list[0]?.text;
    expect(withBatches).toMatch(/^Everyone waiting for a voting code already has one\. Letters already issued can be downloaded again from the batches listed/);
    expect(withBatches).toContain('choose a names and addresses file that names them');
    expect(addApiError(new FormErrors(), nobody, lettersApiErrors(false)).list[0]?.text).not.toContain('downloaded again');
  });
  it('downloads a batch as PDF or CSV, named after the round and the batch', () => {
    expect(letterFormat({ format: 'csv' })).toBe('csv');
    expect(letterFormat({ format: 'docx' })).toBeNull();
    const batch = '0f6c2a9e-4b1d-4e57-9a3c-2d8e1f0b7a64';
    expect(letterFile('7', batch, 'csv', { csv: 'a' })).toEqual({ name: 'voting-codes-round-7-batch-0f6c2a9e.csv', type: 'text/csv; charset=utf-8', body: 'a' });
    const pdf = letterFile('7', batch, 'pdf', { pdfBase64: 'JVBERi0=' });
    expect(pdf.name).toBe('voting-code-letters-round-7-batch-0f6c2a9e.pdf');
    expect(String(pdf.body)).toBe('%PDF-');
    expect([lettersCount(1), lettersCount(1200)]).toEqual(['1 letter', '1,200 letters']);
  });
  it('asks before posting a batch through GOV.UK Notify, and says how many went', () => {
    const batch = (letters: number) => letterBatch('7', { id: '0f6c2a9e-4b1d-4e57-9a3c-2d8e1f0b7a64', letters, remaining: 0, issuedAt: '2026-12-07T20:00:00Z', keptUntil: '2026-12-08T20:00:00Z' });
    expect(batch(1).postQuestion).toBe('Are you sure you want to post the letter through GOV.UK Notify?');
    expect(batch(12).postQuestion).toBe('Are you sure you want to post the 12 letters through GOV.UK Notify?');
    expect(batch(12).postHref).toBe('/officer/rounds/7/letters/batches/0f6c2a9e-4b1d-4e57-9a3c-2d8e1f0b7a64/post');
    expect([postedText(1), postedText(12)]).toEqual(['1 letter was posted', '12 letters were posted']);
  });
  it('shows the API’s refusal to post a batch in its own words, by the button', () => {
    const refused = (code: string, message: string) => addApiError(new FormErrors(), new ApiError([{ code, message }]), POST_LETTERS_API_ERRORS).list;
    const unaddressed = "1 of this batch's 1 letters have no name and address: issue them with a names-and-addresses file to post them, or print them";
    expect(refused('INVALID_INPUT', unaddressed)).toEqual([{ text: unaddressed, href: '#post' }]);
    expect(refused('LETTERS_NOT_PRINTED', '3 of the batch\'s 10 letters were posted, then GOV.UK Notify could not be reached')[0]?.text).toMatch(/^3 of the batch's 10 letters were posted/);
    expect(refused('INVALID_INPUT', 'this council does not post letters through GOV.UK Notify')[0]?.text).toBe('This council does not post letters through GOV.UK Notify');
    for (const code of ['NOT_FOUND', 'INTERNAL', 'NOT_AUTHORISED']) expect(() => refused(code, code)).toThrow(ApiError);
  });
});

describe('officer/paper-forms', () => {
  it('reads the 16 digits of a voting code written with spaces or dashes', () => {
    expect(parsePaperForm({ code: ' 1234 5678-9012 3456 ' }).input).toEqual({ votingCode: '1234567890123456' });
    expect(parsePaperForm({}).errors.list[0]?.text).toBe('Enter the voting code from the letter that came back with the form');
    expect(parsePaperForm({ code: '1234 5678 9012 345' }).errors.list[0]?.text).toMatch(/16 digits/);
    expect(parsePaperForm({ code: '1234 5678 9012 345X' }).input).toBeNull();
  });
  it('says why the API refused a code, in plain words beside the code', () => {
    const text = (code: string, field?: string) => addApiError(new FormErrors(), new ApiError([{ code, message: 'api words', field }]), PAPER_FORM_API_ERRORS).list[0];
    expect(text('INVALID_INPUT', 'votingCode')).toEqual({ href: '#code', text: expect.stringMatching(/16 digits/) });
    expect(text('INVALID_CODE')?.text).toMatch(/newer letter replaces the codes on older ones/);
    expect(text('VOTING_CLOSED')?.text).toBe('Voting in this round has closed, so paper ballot forms can no longer be entered');
    expect(text('RATE_LIMITED')?.text).toBe('api words');
  });
  it('goes on to the staff ballot pages as a paper ballot', () => {
    expect(paperBallotHref('4', { id: '19', area: { id: '2' } })).toBe('/officer/rounds/4/ballots?verification=19&area=2&channel=PAPER');
  });
});

describe('officer/results', () => {
  it('needs a reason of 10 to 2,000 characters for a correction', () => {
    expect(parseCorrection({}).errors.list[0]?.text).toBe('Enter the reason for the correction');
    expect(parseCorrection({ reason: 'too short' }).errors.list[0]?.text).toBe('The reason must be at least 10 characters');
    expect(parseCorrection({ reason: 'x'.repeat(2001) }).errors.any).toBe(true);
    expect(parseCorrection({ reason: 'A bid was withdrawn late', exclude: ['4', '5'] }).input).toEqual({ reason: 'A bid was withdrawn late', excludeBidIds: ['4', '5'] });
  });
});

describe('moving a round on (routes/officer/rounds.ts)', () => {
  it('offers only the next phase, or cancelling, each with its own confirmation', () => {
    expect(phasePath('BIDS_OPEN')).toBe('bids-open');
    const close = phaseMove('3', 'VOTING', 'closed');
    expect(close).toMatchObject({ to: 'CLOSED', action: '/officer/rounds/3/move/closed', button: 'Close voting', warning: true });
    expect(close?.happens).toContain('nobody can vote or change their vote after this');
    expect(phaseMove('3', 'DRAFT', 'bids-open')).toMatchObject({ to: 'BIDS_OPEN', warning: false });
    expect(phaseMove('3', 'BID_REVIEW', 'cancelled')).toMatchObject({ to: 'CANCELLED', button: 'Cancel the round', warning: true });
  });

  it('refuses a move that is not the next one, publishing (which has its own page) and anything after the end', () => {
    expect(phaseMove('3', 'DRAFT', 'closed')).toBeNull();
    expect(phaseMove('3', 'CLOSED', 'closed')).toBeNull();
    expect(phaseMove('3', 'COUNTED', 'published')).toBeNull();
    expect(phaseMove('3', 'PUBLISHED', 'cancelled')).toBeNull();
    expect(phaseMove('3', 'CANCELLED', 'cancelled')).toBeNull();
    expect(phaseMove('3', 'VOTING', 'CLOSED')).toBeNull();
    expect(phaseMove('3', 'VOTING', undefined)).toBeNull();
  });
});

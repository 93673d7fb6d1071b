// The staff forms other than the round's (in English): an area, a role
// given or taken away, a bid's review, the register, a resident verified in person, voting-code
// letters. Each reads the posted values, checks them and builds the API's
// input, which is null while there are errors.
import type { Evidence, Relation, ReviewDecision, Role } from '../graphql/generated/graphql.js';
import { dateFromParts } from '../lib/dates.js';
import { FormErrors, str } from '../lib/forms.js';
import { sentence, type ApiErrorMapping } from './api-error.js';
import { RELATIONS, staffFieldOf } from './rounds.js';

export const EVIDENCE: Evidence[] = ['PHOTO_ID', 'PROOF_OF_ADDRESS', 'COUNCIL_RECORD', 'PHONE_CALL_CHECKS', 'KNOWN_TO_OFFICER'];
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** What a form's parser gives: the values to show again, the errors, and the input once there are none. */
export interface Parsed<V, I> {
  values: V;
  errors: FormErrors;
  input: I | null;
}

function parsed<V, I>(values: V, errors: FormErrors, input: I): Parsed<V, I> {
  return { values, errors, input: errors.any ? null : input };
}

// Areas

export interface AreaValues {
  name: string;
  kind: string;
  description: string;
  nameCy: string;
  descriptionCy: string;
  coverage: string;
}

/** Postcodes, sectors and districts, one a line or separated by commas. */
export function coverageList(text: string): string[] {
  return text.split(/[\n,;]+/).map((x) => x.trim()).filter(Boolean);
}

/** A new area (kind required) or a change to one. */
export function parseArea(body: unknown, { isNew }: { isNew: boolean }) {
  const values: AreaValues = { name: str(body, 'name'), kind: str(body, 'kind'), description: str(body, 'description'), nameCy: str(body, 'nameCy'), descriptionCy: str(body, 'descriptionCy'), coverage: str(body, 'coverage') };
  const errors = new FormErrors();
  if (!values.name) errors.add('name', 'Enter the area’s name');
  if (isNew && !values.kind) errors.add('kind', 'Select what kind of area it is');
  const coverage = coverageList(values.coverage);
  if (coverage.length === 0) errors.add('coverage', 'Enter at least one postcode, sector or district');
  // An empty Welsh name or description takes it away.
  const details = { name: values.name, kind: values.kind, description: values.description, nameCy: values.nameCy.trim(), descriptionCy: values.descriptionCy.trim() };
  return parsed(values, errors, { details, coverage });
}

// Roles

const ROLES: Role[] = ['OFFICER', 'COUNCILLOR', 'ADMIN'];

export function parseRole(body: unknown) {
  const values = { email: str(body, 'email'), role: str(body, 'role') };
  const errors = new FormErrors();
  if (!EMAIL.test(values.email)) errors.add('email', 'Enter their email address, like name@example.com');
  if (!ROLES.includes(values.role as Role)) errors.add('role', 'Select a role');
  return parsed(values, errors, { email: values.email, role: values.role as Role });
}

/** A role as the roles page writes it in an address (`officer`, `councillor`, `admin`), or null. */
export function roleFromPath(param: unknown): Role | null {
  return ROLES.find((r) => typeof param === 'string' && r.toLowerCase() === param) ?? null;
}

/**
 * Taking a role away: a refusal (your own admin role) is the API's own
 * message, beside the confirmation page's buttons.
 */
export const ROLE_REMOVAL_API_ERRORS: ApiErrorMapping = {
  field: 'remove',
  rethrow: ['INTERNAL', 'NOT_AUTHORISED'],
};

// Reviewing a bid

/** The review of one bid on the list: its fields are named after the bid. */
export function parseReview(body: unknown, bidId: string) {
  const decision = str(body, 'decision') as ReviewDecision;
  const reason = str(body, 'reason');
  const values = { [`decision-${bidId}`]: decision, [`reason-${bidId}`]: reason };
  const errors = new FormErrors();
  if (!['ELIGIBLE', 'INELIGIBLE', 'CHANGES_REQUESTED'].includes(decision)) errors.add(`decision-${bidId}`, 'Select a decision');
  else if (decision !== 'ELIGIBLE' && !reason) errors.add(`reason-${bidId}`, 'Give the group a reason');
  return parsed(values, errors, { id: bidId, decision, reason: reason || null });
}

// The council's register

export const REGISTER_COLUMNS = { dateOfBirth: 'date_of_birth', postcode: 'postcode', fullName: 'full_name' };

/** The register's columns and its file (read by http/bodies.ts), for importRegister. */
export function parseRegister(body: unknown, file: { buffer: Buffer } | undefined, roundId: string) {
  const values = { fullName: str(body, 'fullName'), givenNames: str(body, 'givenNames'), familyName: str(body, 'familyName'), dateOfBirth: str(body, 'dateOfBirth'), postcode: str(body, 'postcode') };
  const errors = new FormErrors();
  if (!file) errors.add('file', 'Select a CSV file');
  if (!values.dateOfBirth) errors.add('dateOfBirth', 'Enter the column that holds the date of birth');
  if (!values.postcode) errors.add('postcode', 'Enter the column that holds the postcode');
  if (!values.fullName && !(values.givenNames && values.familyName)) errors.add('fullName', 'Enter the column for the full name, or the columns for given and family names');
  return parsed(values, errors, {
    roundId,
    content: file?.buffer.toString('base64') ?? '',
    encoding: 'BASE64' as const,
    columns: { fullName: values.fullName || null, givenNames: values.givenNames || null, familyName: values.familyName || null, dateOfBirth: values.dateOfBirth, postcode: values.postcode },
  });
}

// In person

export function parseInPerson(body: unknown) {
  const values = {
    name: str(body, 'name'),
    day: str(body, 'dob-day'),
    month: str(body, 'dob-month'),
    year: str(body, 'dob-year'),
    postcode: str(body, 'postcode'),
    relation: str(body, 'relation'),
    evidence: str(body, 'evidence'),
    email: str(body, 'email'),
    phone: str(body, 'phone'),
    reference: str(body, 'reference'),
  };
  const errors = new FormErrors();
  if (!values.name) errors.add('name', 'Enter the person’s full name');
  const dob = dateFromParts(values.day, values.month, values.year);
  if (!dob) errors.add('dob-day', 'Enter their date of birth, like 27 3 1980');
  if (!values.postcode) errors.add('postcode', 'Enter their postcode');
  if (!RELATIONS.includes(values.relation as Relation)) errors.add('relation', 'Select how they are connected to the area');
  if (!EVIDENCE.includes(values.evidence as Evidence)) errors.add('evidence', 'Select what you checked');
  return parsed(values, errors, {
    person: { name: values.name, dateOfBirth: dob ?? '', postcode: values.postcode, relation: values.relation as Relation },
    evidence: values.evidence as Evidence,
    email: values.email || null,
    phone: values.phone || null,
    reference: values.reference || null,
  });
}

/**
 * Where the API's refusal of an in-person check goes: that the person
 * started online (ask for the reference on their screen, or their email
 * address), and a reference that is wrong or names someone else's details,
 * beside the reference.
 */
export const IN_PERSON_API_ERRORS: ApiErrorMapping = {
  field: 'name',
  every: true,
  byCode: { STARTED_ONLINE: 'reference' },
  fieldOf: (apiField) => (apiField === 'reference' ? 'reference' : staffFieldOf(apiField)),
  messages: { METHOD_NOT_ACCEPTED: 'This round does not accept a check in person. Add “In person” to the round’s ways of proving who someone is first' },
};

// Voting-code letters

/**
 * A CSV file's text. Spreadsheets save CSV as UTF-8 or, in Excel's older
 * "CSV (Comma delimited)", as Windows-1252: a file that is not valid UTF-8
 * is read as that, so that names like Siân come through either way.
 */
export function csvText(buffer: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buffer);
  } catch {
    return new TextDecoder('windows-1252').decode(buffer);
  }
}

/**
 * A round's voting-code letters: with a names-and-addresses file (read by
 * http/bodies.ts), the people it names; without, everyone waiting for a
 * code.
 */
export function parseLetters(file: { buffer: Buffer } | undefined) {
  const errors = new FormErrors();
  if (file && file.buffer.length === 0) errors.add('addresses', 'The selected file is empty');
  return parsed({}, errors, { addresses: file ? csvText(file.buffer) : null });
}

/**
 * Where the API's refusal of a round's letters goes: beside the file, in
 * the API's own words, which name the line and the reference at fault
 * (`line 3: "X12" is not a letter reference`, `V99 is not the reference of
 * anyone verified for this round`). With nobody waiting, what to do
 * instead: download the letters already issued again, or name people in a
 * file to give them new codes.
 */
export function lettersApiErrors(hasBatches: boolean): ApiErrorMapping {
  const issued = hasBatches ? ' Letters already issued can be downloaded again from the batches listed under ‘Letters ready to print’.' : '';
  return {
    field: 'addresses',
    every: true,
    fieldOf: () => 'addresses',
    messages: {
      NOT_FOUND: `Everyone waiting for a voting code already has one.${issued} To give someone a new code, choose a names and addresses file that names them.`,
    },
  };
}

/**
 * The API's refusals of posting a batch through GOV.UK Notify, in its own
 * words, which say what to do: a letter with no name and address or a line
 * too long for Notify's address block (issue them again with a
 * names-and-addresses file, or print them), Notify not reached part way
 * (post again for the rest, none twice), or a council that does not post
 * letters. A batch gone since is the page that says so.
 */
export const POST_LETTERS_API_ERRORS: ApiErrorMapping = {
  field: 'post',
  text: (e) => sentence(e.errors[0]?.message || e.message),
  rethrow: ['INTERNAL', 'NOT_AUTHORISED', 'NOT_FOUND'],
};

/** Which of a batch's files to download: the letters to print, or the file for a print supplier. */
export function letterFormat(body: unknown): 'pdf' | 'csv' | null {
  const format = str(body, 'format');
  return format === 'pdf' || format === 'csv' ? format : null;
}

/** One letter, to post to a resident verified in person. */
export function parseLetter(body: unknown, verificationId: string) {
  const values = { name: str(body, 'name'), line1: str(body, 'line1'), line2: str(body, 'line2'), town: str(body, 'town'), postcode: str(body, 'postcode') };
  const errors = new FormErrors();
  if (!values.name) errors.add('name', 'Enter the name to put on the letter');
  if (!values.line1) errors.add('line1', 'Enter the first line of their address');
  const address = [values.line1, values.line2, values.town, values.postcode].filter((l) => l);
  return parsed(values, errors, { verificationId, name: values.name, address });
}

/** How a verification conflict is resolved; anything else keeps the existing record. */
export function conflictResolution(body: unknown): 'MOVE_TO_CLAIMANT' | 'DISTINCT_PEOPLE' | 'KEEP_EXISTING' {
  const chosen = str(body, 'resolution');
  return chosen === 'MOVE_TO_CLAIMANT' || chosen === 'DISTINCT_PEOPLE' ? chosen : 'KEEP_EXISTING';
}

// Paper ballot forms returned by post

/** The voting code printed on a letter: 16 digits, written with or without spaces and dashes. */
const VOTING_CODE = /^\d{16}$/;

/** The voting code on a paper ballot form returned by post, as its 16 digits. */
export function parsePaperForm(body: unknown) {
  const values = { code: str(body, 'code') };
  const errors = new FormErrors();
  const digits = values.code.replace(/[\s-]/g, '');
  if (!values.code) errors.add('code', 'Enter the voting code from the letter that came back with the form');
  else if (!VOTING_CODE.test(digits)) errors.add('code', 'Enter the voting code as it is printed on the letter: 16 digits, like 1234 5678 9012 3456');
  return parsed(values, errors, { votingCode: digits });
}

/** The API's refusals of a paper ballot form's voting code, in plain words beside the code. */
export const PAPER_FORM_API_ERRORS: ApiErrorMapping = {
  field: 'code',
  fieldOf: () => 'code',
  messages: {
    INVALID_INPUT: 'Enter the voting code as it is printed on the letter: 16 digits, like 1234 5678 9012 3456',
    INVALID_CODE:
      'This is not a voting code that can vote in this round. Check the digits against the letter. If the person was sent a newer letter, only the code on the newest letter works: a newer letter replaces the codes on older ones',
    VOTING_CLOSED: 'Voting in this round has closed, so paper ballot forms can no longer be entered',
  },
};

// Reminders about a round, by email, text message or (where the council
// sends letters) post: a resident's answer to "Do you want reminders?" and
// where to send them (in the page's language), an officer's for someone
// verified in person (in English), and the link in a reminder email that
// stops them. Each reads the posted values, checks them and builds the
// API's input, which is null while there are errors. Pure.
import type { Language, ReminderChannel } from '../graphql/generated/graphql.js';
import { ApiError } from '../graphql/client.js';
import { fmt, type Dictionary } from '../i18n/index.js';
import { FormErrors, str } from '../lib/forms.js';
import { sentence, type ApiErrorMapping } from './api-error.js';
import { EMAIL } from './residents.js';

/** The channels every council offers; LETTER only where `reminderChannels` says so. */
const ALWAYS: readonly ReminderChannel[] = ['EMAIL', 'TEXT'];

/** The address of the page that asks where to send them, for a channel. */
export function contactPath(roundId: string, channel: ReminderChannel): string {
  const page = channel === 'TEXT' ? 'text' : channel === 'LETTER' ? 'post' : 'email';
  return `/rounds/${roundId}/reminders/${page}`;
}

/**
 * A resident's answer to "Do you want reminders?": by email, by text
 * message, by post where the council `offers` it, or "No, thank you" (`NONE`).
 */
export function parseReminderChoice(body: unknown, t: Dictionary, offers: readonly ReminderChannel[] = ALWAYS) {
  const values = { channel: str(body, 'channel') };
  const errors = new FormErrors();
  const choice = values.channel === 'NONE' || offers.includes(values.channel as ReminderChannel) ? (values.channel as ReminderChannel | 'NONE') : null;
  if (!choice) errors.add('channel', t.reminders.errorChoose);
  return { values, errors, choice };
}

/** Where to send them: an email address, or a number (the API checks it is a UK mobile). */
export function parseReminderContact(body: unknown, channel: ReminderChannel, t: Dictionary) {
  const values = { contact: str(body, 'contact') };
  const errors = new FormErrors();
  if (channel === 'EMAIL' && !values.contact) errors.add('contact', t.reminders.errorEmailEmpty);
  else if (channel === 'EMAIL' && !EMAIL.test(values.contact)) errors.add('contact', t.reminders.errorEmailInvalid);
  else if (channel === 'TEXT' && !values.contact) errors.add('contact', t.reminders.errorPhoneEmpty);
  return { values, errors, contact: errors.any ? null : values.contact };
}

/** The fields of a postal address, in the order the letter prints them: the name first, the postcode last. */
export const ADDRESS_FIELDS = ['name', 'line1', 'line2', 'town', 'postcode'] as const;
export type AddressField = (typeof ADDRESS_FIELDS)[number];

/** The longest line of an address the API takes. */
export const ADDRESS_LINE_MAX = 100;

/** What the address form says when something is missing or too long. */
export interface AddressWords {
  errorNameEmpty: string;
  errorLine1Empty: string;
  errorTownEmpty: string;
  errorPostcodeEmpty: string;
  /** By field, with `{max}`. */
  errorTooLong: Record<'name' | 'line1' | 'line2' | 'town', string>;
}

/** An officer's words for someone else's address (staff pages are in English). */
export const STAFF_ADDRESS_WORDS: AddressWords = {
  errorNameEmpty: 'Enter their full name',
  errorLine1Empty: 'Enter address line 1, typically the building and street',
  errorTownEmpty: 'Enter their town or city',
  errorPostcodeEmpty: 'Enter their postcode',
  errorTooLong: {
    name: 'Their full name must be {max} characters or fewer',
    line1: 'Address line 1 must be {max} characters or fewer',
    line2: 'Address line 2 must be {max} characters or fewer',
    town: 'Town or city must be {max} characters or fewer',
  },
};

/** A line as one line: spaces and line breaks inside it become one space. */
const oneLine = (s: string) => s.replace(/\s+/g, ' ');

/**
 * A name and postal address (the GOV.UK address pattern: full name, address
 * line 1, line 2 if any, town or city, postcode) as the API's `contact` for
 * reminders by post: the lines that are not empty, one a line, the name
 * first and the postcode last. Whether the postcode is a real one is the
 * API's to say. Its errors are added to `errors` (a form's others), if given.
 */
export function parsePostalAddress(body: unknown, words: AddressWords, errors: FormErrors = new FormErrors()) {
  const values = Object.fromEntries(ADDRESS_FIELDS.map((f) => [f, oneLine(str(body, f))])) as Record<AddressField, string>;
  const empty: Partial<Record<AddressField, string>> = {
    name: words.errorNameEmpty,
    line1: words.errorLine1Empty,
    town: words.errorTownEmpty,
    postcode: words.errorPostcodeEmpty,
  };
  for (const field of ADDRESS_FIELDS) {
    const missing = empty[field];
    if (!values[field]) {
      if (missing) errors.add(field, missing);
    } else if (field !== 'postcode' && [...values[field]].length > ADDRESS_LINE_MAX) {
      errors.add(field, fmt(words.errorTooLong[field], { max: ADDRESS_LINE_MAX }));
    }
  }
  const contact = errors.any ? null : ADDRESS_FIELDS.map((f) => values[f]).filter((l) => l).join('\n');
  return { values, errors, contact };
}

/** The first message of the API's refusal, if `e` is one. */
function refusalMessage(e: unknown): string {
  return e instanceof ApiError ? (e.errors[0]?.message ?? e.message) : '';
}

/**
 * Which field of the address form the API's refusal of an address is
 * about: a last line that is not a postcode beside the postcode, anything
 * else (no line of the address, too many lines) beside address line 1.
 */
export function addressFieldOf(message: string): 'postcode' | 'line1' {
  return /\bnot a (?:UK |real |valid )?postcode\b/i.test(message) ? 'postcode' : 'line1';
}

/**
 * The API's refusals of a resident's reminders, in the page's language,
 * beside the address or number: one it cannot use, not verified yet, or
 * voting closed. For post, `refused` (the refusal itself) says which line
 * of the address it is about, and a council that does not send letters is
 * said beside the first line. A round that is not there is the not-found page.
 */
export function remindersApiErrors(t: Dictionary, channel: ReminderChannel, refused?: unknown): ApiErrorMapping {
  const common = { ...t.api, NOT_VERIFIED: t.reminders.errorNotVerified, PHASE_CLOSED: t.reminders.errorClosed };
  const rethrow = ['INTERNAL', 'NOT_FOUND'];
  if (channel === 'LETTER') {
    const field = addressFieldOf(refusalMessage(refused));
    return {
      field: 'line1',
      fieldOf: (apiField) => (apiField === 'contact' ? field : undefined),
      messages: {
        ...common,
        'INVALID_INPUT:contact': field === 'postcode' ? t.reminders.errorPostcodeInvalid : t.reminders.errorAddressInvalid,
        'INVALID_INPUT:channel': t.reminders.errorNoPost,
      },
      rethrow,
    };
  }
  return {
    field: 'contact',
    messages: { ...common, 'INVALID_INPUT:contact': channel === 'TEXT' ? t.reminders.errorPhoneInvalid : t.reminders.errorEmailInvalid },
    rethrow,
  };
}

const LANGUAGES: readonly Language[] = ['EN', 'CY'];

/**
 * An officer's form for a resident verified in person: how, where (an
 * email address or number, or for post their name and address), and in
 * which language. Post is checked here whatever the council offers: the
 * API says when it does not send letters.
 */
export function parseStaffReminders(body: unknown) {
  const channel = str(body, 'channel');
  const language = str(body, 'language');
  const errors = new FormErrors();
  if (![...ALWAYS, 'LETTER'].includes(channel)) errors.add('channel', 'Select how they want their reminders');
  const address = channel === 'LETTER' ? parsePostalAddress(body, STAFF_ADDRESS_WORDS, errors) : null;
  const values = { channel, contact: str(body, 'contact'), language, ...address?.values };
  // By post, their name and address stand for the email address or number.
  if (!address) {
    if (channel === 'EMAIL' && !EMAIL.test(values.contact)) errors.add('contact', 'Enter their email address, like name@example.com');
    else if (channel === 'TEXT' && !values.contact) errors.add('contact', 'Enter their UK mobile number, like 07700 900123');
    else if (!values.contact) errors.add('contact', 'Enter their email address or UK mobile number');
  }
  if (!LANGUAGES.includes(language as Language)) errors.add('language', 'Select the language of their reminders');
  const contact = address ? address.contact : values.contact;
  const input = errors.any || contact === null ? null : { channel: channel as ReminderChannel, contact, language: language as Language };
  return { values, errors, input };
}

/**
 * The API's refusals of an officer's reminders: an address or number it
 * cannot use beside it (for post, in the API's words beside the line it is
 * about: the postcode, or address line 1), and a letter reference that is
 * not of this round, voting closed or a council that does not send letters
 * in the API's own words beside the question.
 */
export function staffRemindersApiErrors(channel: ReminderChannel, refused?: unknown): ApiErrorMapping {
  const rethrow = ['INTERNAL', 'NOT_FOUND', 'NOT_AUTHORISED'];
  if (channel === 'LETTER') {
    const field = addressFieldOf(refusalMessage(refused));
    return {
      field: 'channel',
      fieldOf: (apiField) => (apiField === 'contact' ? field : undefined),
      text: (e) => sentence(e.errors[0]?.message || e.message),
      rethrow,
    };
  }
  return {
    field: 'channel',
    fieldOf: (apiField) => (apiField === 'contact' ? 'contact' : undefined),
    messages: {
      'INVALID_INPUT:contact': channel === 'TEXT' ? 'Enter a UK mobile number, like 07700 900123' : 'Enter their email address, like name@example.com',
    },
    rethrow,
  };
}

/** A subscription's number in a stop link. */
const SUBSCRIPTION = /^\d{1,18}$/;
/**
 * Its token: a keyed hash, written in letters and digits (the API writes it
 * in hex today), long enough to be one; a token cut short by a line break
 * in an email is caught here, and any other wrong one by the API.
 */
const TOKEN = /^[A-Za-z0-9_-]{16,200}$/;

/**
 * The subscription and token of a link to stop reminders
 * (`/reminders/stop?s=12&t=…`), from its query or the form that posts them
 * on; null when either is missing or cannot be one (a link cut short).
 */
export function stopLink(source: unknown): { subscription: string; token: string } | null {
  const subscription = str(source, 's');
  const token = str(source, 't');
  if (!SUBSCRIPTION.test(subscription) || !TOKEN.test(token)) return null;
  return { subscription, token };
}

// Reminders about a round, by email or text message: a resident's answer to
// "Do you want reminders?" and where to send them (in the page's language),
// an officer's for someone verified in person (in English), and the link in
// a reminder email that stops them. Each reads the posted values, checks them and builds the
// API's input, which is null while there are errors. Pure.
import type { Language, ReminderChannel } from '../graphql/generated/graphql.js';
import type { Dictionary } from '../i18n/index.js';
import { FormErrors, str } from '../lib/forms.js';
import type { ApiErrorMapping } from './api-error.js';
import { EMAIL } from './residents.js';

const CHANNELS: readonly ReminderChannel[] = ['EMAIL', 'TEXT'];

/** The address of the page that asks where to send them, for a channel. */
export function contactPath(roundId: string, channel: ReminderChannel): string {
  return `/rounds/${roundId}/reminders/${channel === 'TEXT' ? 'text' : 'email'}`;
}

/** A resident's answer to "Do you want reminders?": by email, by text message, or "No, thank you" (`NONE`). */
export function parseReminderChoice(body: unknown, t: Dictionary) {
  const values = { channel: str(body, 'channel') };
  const errors = new FormErrors();
  const choice = values.channel === 'NONE' || CHANNELS.includes(values.channel as ReminderChannel) ? (values.channel as ReminderChannel | 'NONE') : null;
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

/**
 * The API's refusals of a resident's reminders, in the page's language,
 * beside the address or number: one it cannot use, not verified yet, or
 * voting closed. A round that is not there is the not-found page.
 */
export function remindersApiErrors(t: Dictionary, channel: ReminderChannel): ApiErrorMapping {
  return {
    field: 'contact',
    messages: {
      ...t.api,
      'INVALID_INPUT:contact': channel === 'TEXT' ? t.reminders.errorPhoneInvalid : t.reminders.errorEmailInvalid,
      NOT_VERIFIED: t.reminders.errorNotVerified,
      PHASE_CLOSED: t.reminders.errorClosed,
    },
    rethrow: ['INTERNAL', 'NOT_FOUND'],
  };
}

const LANGUAGES: readonly Language[] = ['EN', 'CY'];

/** An officer's form for a resident verified in person: how, where, and in which language. */
export function parseStaffReminders(body: unknown) {
  const values = { channel: str(body, 'channel'), contact: str(body, 'contact'), language: str(body, 'language') };
  const errors = new FormErrors();
  if (!CHANNELS.includes(values.channel as ReminderChannel)) errors.add('channel', 'Select how they want their reminders');
  if (values.channel === 'EMAIL' && !EMAIL.test(values.contact)) errors.add('contact', 'Enter their email address, like name@example.com');
  else if (values.channel === 'TEXT' && !values.contact) errors.add('contact', 'Enter their UK mobile number, like 07700 900123');
  else if (!values.contact) errors.add('contact', 'Enter their email address or UK mobile number');
  if (!LANGUAGES.includes(values.language as Language)) errors.add('language', 'Select the language of their reminders');
  const input = errors.any ? null : { channel: values.channel as ReminderChannel, contact: values.contact, language: values.language as Language };
  return { values, errors, input };
}

/**
 * The API's refusals of an officer's reminders: an address or number it
 * cannot use beside it, and a letter reference that is not of this round
 * (or voting closed) in the API's own words beside the question.
 */
export function staffRemindersApiErrors(channel: ReminderChannel): ApiErrorMapping {
  return {
    field: 'channel',
    fieldOf: (apiField) => (apiField === 'contact' ? 'contact' : undefined),
    messages: {
      'INVALID_INPUT:contact': channel === 'TEXT' ? 'Enter a UK mobile number, like 07700 900123' : 'Enter their email address, like name@example.com',
    },
    rethrow: ['INTERNAL', 'NOT_FOUND', 'NOT_AUTHORISED'],
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

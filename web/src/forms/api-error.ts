// The one place where an API refusal (ApiError, with its code and the field
// it names) becomes a form error beside the field it is about. Every form
// that sends something to the API catches its refusal with `addApiError`.
import { ApiError } from '../graphql/client.js';
import type { FormErrors } from '../lib/forms.js';

export interface ApiErrorMapping {
  /** The form field for an error that names no field of the form. */
  field: string;
  /** The form field for some codes, whatever field the API names (BID_COST_EXCEEDS_POT → cost). */
  byCode?: Partial<Record<string, string>>;
  /** The form's id for a field the API names, or undefined when the form has no such field. */
  fieldOf?: (apiField: string) => string | undefined;
  /** Texts by code, in the page's language (a dictionary's `api`); staff pages show the API's own message. */
  messages?: Partial<Record<string, string>>;
  /** The text when `messages` has none for the code; by default `messages['*']`, or on staff forms the API's message. */
  text?: (e: ApiError) => string | undefined;
  /** Every error the API gave, each beside its field (staff forms), rather than the first. */
  every?: boolean;
  /**
   * Codes the form does not show: the error is thrown on to the error pages
   * (the 500 page for INTERNAL, sign-in for UNAUTHENTICATED…). INTERNAL by default.
   */
  rethrow?: readonly string[];
  /** Only these codes are the form's; any other is thrown on. */
  only?: readonly string[];
}

const RETHROW = ['INTERNAL'] as const;

/** The API's words with a capital letter, as an error message starts. */
export function sentence(message: string): string {
  return message.charAt(0).toUpperCase() + message.slice(1);
}

/**
 * The API's refusal in `e`, or throws `e` on when it is not one the form
 * shows: anything but an ApiError, or a code in `rethrow` (or not in `only`).
 */
export function refusal(e: unknown, m: Pick<ApiErrorMapping, 'rethrow' | 'only'> = {}): ApiError {
  if (!(e instanceof ApiError)) throw e;
  if ((m.rethrow ?? RETHROW).includes(e.code)) throw e;
  if (m.only && !m.only.includes(e.code)) throw e;
  return e;
}

/** Adds the API's refusal in `e` to the form's errors (see ApiErrorMapping), or throws `e` on. */
export function addApiError(errors: FormErrors, e: unknown, m: ApiErrorMapping): FormErrors {
  const err = refusal(e, m);
  const items = m.every ? err.errors : err.errors.slice(0, 1);
  if (items.length === 0) items.push({ code: err.code, message: err.message });
  for (const item of items) {
    const code = item.code || err.code;
    const field = m.byCode?.[code] ?? (item.field ? m.fieldOf?.(item.field) : undefined) ?? m.field;
    errors.add(field, messageFor(code, item.field, m) ?? m.text?.(err) ?? fallback(item.message, code, m));
  }
  return errors;
}

/**
 * The form's text for a code, or for a code about one of the API's fields
 * (`INVALID_INPUT:dateOfBirth`), which says more than the code alone.
 */
function messageFor(code: string, apiField: string | undefined, m: ApiErrorMapping): string | undefined {
  return (apiField ? m.messages?.[`${code}:${apiField}`] : undefined) ?? m.messages?.[code];
}

/**
 * When nothing else says what went wrong: on residents' forms (with a
 * dictionary's `messages`) its `*` text, in the page's language, never the
 * API's own words; on staff forms (in English) the API's message.
 */
function fallback(message: string | undefined, code: string, m: ApiErrorMapping): string {
  return m.messages?.['*'] ?? (message || code);
}

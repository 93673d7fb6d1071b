// Asking for a round's close checkpoint by email, in the page's language:
// the address you sign in with, and how the API's refusals show on the form.
import type { Dictionary } from '../i18n/index.js';
import { FormErrors, str } from '../lib/forms.js';
import type { ApiErrorMapping } from './api-error.js';
import { EMAIL } from './residents.js';

/** The address to send the close checkpoint to; the API accepts only the one you sign in with. */
export function parseObserve(body: unknown, t: Dictionary) {
  const email = str(body, 'email');
  const errors = new FormErrors();
  if (!email) errors.add('email', t.checkpoint.errorEmailEmpty);
  else if (!EMAIL.test(email)) errors.add('email', t.signIn.errorEmailInvalid);
  return { values: { email }, errors, email: errors.any ? null : email };
}

/**
 * The API's refusals of `observeRound`, beside the email field: another
 * address than yours (INVALID_INPUT on `email`), one it cannot read
 * (INVALID_EMAIL), or voting already closed (PHASE_CLOSED). A round that
 * is not there is the not-found page.
 */
export function observeApiErrors(t: Dictionary): ApiErrorMapping {
  return {
    field: 'email',
    messages: { ...t.api, INVALID_INPUT: t.checkpoint.errorNotYours, PHASE_CLOSED: t.checkpoint.errorClosed },
    rethrow: ['INTERNAL', 'NOT_FOUND', 'NOT_AUTHORISED'],
  };
}

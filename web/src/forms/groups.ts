// A community group's forms: registering a group, inviting a member,
// answering an invitation. Pure; texts in the page's language.
import type { Dictionary } from '../i18n/index.js';
import { FormErrors, str } from '../lib/forms.js';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function parseGroup(body: unknown, t: Dictionary) {
  const values = { name: str(body, 'name'), description: str(body, 'description'), contactEmail: str(body, 'contactEmail'), areaId: str(body, 'areaId') };
  const errors = new FormErrors();
  if (!values.name) errors.add('name', t.groups.errorName);
  if (!values.description) errors.add('description', t.groups.errorDescription);
  if (!EMAIL.test(values.contactEmail)) errors.add('contactEmail', t.groups.errorContact);
  if (!values.areaId) errors.add('areaId', t.groups.errorArea);
  return { values, errors, input: errors.any ? null : values };
}

export function parseMemberEmail(body: unknown, t: Dictionary) {
  const email = str(body, 'email');
  const errors = new FormErrors();
  if (!EMAIL.test(email)) errors.add('email', t.groups.errorMemberEmail);
  return { values: { email }, errors, email: errors.any ? null : email };
}

/** An invitation's answer: accepted only when the button says so. */
export function acceptsInvitation(body: unknown): boolean {
  return str(body, 'answer') === 'accept';
}

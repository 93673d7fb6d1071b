// The results forms: checking a receipt code (residents, in their
// language) and a councillor's correction of a published result.
import type { Dictionary } from '../i18n/index.js';
import { FormErrors, str, strs } from '../lib/forms.js';
import { normaliseReceiptCode } from '../lib/receipt.js';

/** A receipt code as typed, and its written form once it can be one. */
export function parseReceipt(body: unknown, t: Dictionary) {
  const raw = str(body, 'code');
  const errors = new FormErrors();
  const code = normaliseReceiptCode(raw);
  if (!raw) errors.add('code', t.receipt.errorEmpty);
  else if (!code) errors.add('code', t.receipt.errorFormat);
  return { values: { code: raw }, errors, code };
}

/** A correction: the reason, published with it, and the bids to leave out. */
export function parseCorrection(body: unknown) {
  const values = { reason: str(body, 'reason'), exclude: strs(body, 'exclude') };
  const errors = new FormErrors();
  if (!values.reason) errors.add('reason', 'Enter the reason for the correction');
  else if (values.reason.length < 10) errors.add('reason', 'The reason must be at least 10 characters');
  else if (values.reason.length > 2000) errors.add('reason', 'The reason must be 2,000 characters or fewer');
  return { values, errors, input: errors.any ? null : { reason: values.reason, excludeBidIds: values.exclude } };
}

/** The correction form's id for a field the API names. */
export function correctionFieldOf(apiField: string): string | undefined {
  return apiField === 'excludeBidIds' ? 'exclude' : undefined;
}

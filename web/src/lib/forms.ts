// Form errors in the shape GOV.UK Frontend's error summary and fields take.

export interface FieldError {
  /** The field's id, for the summary's link and the field's own message. */
  field: string;
  text: string;
}

export class FormErrors {
  private readonly items: FieldError[] = [];

  add(field: string, text: string): this {
    if (!this.items.some((e) => e.field === field)) this.items.push({ field, text });
    return this;
  }

  get any(): boolean {
    return this.items.length > 0;
  }

  /** For govukErrorSummary's errorList. */
  get list(): { text: string; href: string }[] {
    return this.items.map((e) => ({ text: e.text, href: `#${e.field}` }));
  }

  /** For each field's errorMessage: `errors.byField.title`. */
  get byField(): Record<string, { text: string }> {
    return Object.fromEntries(this.items.map((e) => [e.field, { text: e.text }]));
  }
}

/** A string from a parsed form body, trimmed; '' when absent. */
export function str(body: unknown, key: string): string {
  if (!body || typeof body !== 'object') return '';
  const v = (body as Record<string, unknown>)[key];
  if (typeof v === 'string') return v.trim();
  if (Array.isArray(v) && typeof v[0] === 'string') return v[0].trim();
  return '';
}

/** Every string under a key (checkboxes send one or many). */
export function strs(body: unknown, key: string): string[] {
  if (!body || typeof body !== 'object') return [];
  const v = (body as Record<string, unknown>)[key];
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return [];
}

// Form errors in the shape GOV.UK Frontend's error summary and fields take.
import { escapeHtml } from './welsh.js';

export interface FieldError {
  /** The field's id, for the summary's link and the field's own message. */
  field: string;
  text: string;
  /** The language of a text that is not in the page's (the API's English words on a Welsh page). */
  lang?: string | undefined;
}

/** An error's text for a macro, and as HTML marked with its own language when it has one (the macros prefer `html`). */
function shown(e: FieldError): { text: string; html?: string } {
  if (!e.lang) return { text: e.text };
  return { text: e.text, html: `<span lang="${e.lang.replace(/[^a-zA-Z-]/g, '')}">${escapeHtml(e.text)}</span>` };
}

export class FormErrors {
  private readonly items: FieldError[] = [];

  add(field: string, text: string, lang?: string): this {
    if (!this.items.some((e) => e.field === field)) this.items.push({ field, text, lang });
    return this;
  }

  get any(): boolean {
    return this.items.length > 0;
  }

  /** For govukErrorSummary's errorList. */
  get list(): { text: string; html?: string; href: string }[] {
    return this.items.map((e) => ({ ...shown(e), href: `#${e.field}` }));
  }

  /** For each field's errorMessage: `errors.byField.title`. */
  get byField(): Record<string, { text: string; html?: string }> {
    return Object.fromEntries(this.items.map((e) => [e.field, shown(e)]));
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

// Welsh for what the council and groups write. Rounds, areas and bids carry
// optional Welsh beside the English (`titleCy`, `nameCy`, `summaryCy`,
// `descriptionCy`). A Welsh page shows the Welsh where there is one, and
// otherwise the English marked `lang="en"`, so that a screen reader reads it
// in an English voice.
import type { Lang } from '../i18n/index.js';

type Written = Record<string, unknown> | null | undefined;

function welshOf(item: Written, field: string): string | undefined {
  const cy = item?.[`${field}Cy`];
  return typeof cy === 'string' && cy.trim() ? cy : undefined;
}

/** The words of `item[field]` to show in `lang`: the Welsh where there is one. */
export function written(item: Written, field: string, lang: Lang): string {
  const en = item?.[field];
  const text = typeof en === 'string' ? en : '';
  return lang === 'cy' ? (welshOf(item, field) ?? text) : text;
}

/** Whether `item[field]` is shown in English on a page in `lang`: a Welsh page without the Welsh. */
export function shownInEnglish(item: Written, field: string, lang: Lang): boolean {
  const en = item?.[field];
  return lang === 'cy' && typeof en === 'string' && en !== '' && welshOf(item, field) === undefined;
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text made safe to put in HTML, as Nunjucks' autoescape does. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

/**
 * The words as HTML for a page in `lang`: escaped, and wrapped in
 * `<span lang="en">` where a Welsh page shows the English.
 */
export function writtenHtml(item: Written, field: string, lang: Lang): string {
  const text = escapeHtml(written(item, field, lang));
  return shownInEnglish(item, field, lang) ? `<span lang="en">${text}</span>` : text;
}

/** A bid category by its name in the API, in the dictionary's words; an unknown one as it is, capitalised. */
export function categoryName(names: Record<string, string>, key: string): string {
  const k = String(key ?? '').toLowerCase();
  return names[k] ?? k.charAt(0).toUpperCase() + k.slice(1);
}

// Rendering helpers shared by route modules.
import type { Response } from 'express';
import { dictionaries } from '../i18n/index.js';

/** A staff page: in English whatever the visitor's language, under the staff section of the navigation. */
export function renderStaff(res: Response, view: string, locals: Record<string, unknown>, status = 200) {
  res.status(status).render(view, { mainLang: 'en', navSection: 'officer', en: dictionaries.en, ...locals });
}

/** The status of a page that shows a form: 400 when it shows errors. */
export function formStatus(errors?: { any: boolean }): number {
  return errors?.any ? 400 : 200;
}

/**
 * A staff page in the page's language (the population and participation
 * pages): under the staff section of the navigation, its words in the
 * dictionaries, with no English-only `lang` on the main content.
 */
export function renderStaffPage(res: Response, view: string, locals: Record<string, unknown>, status = 200) {
  res.status(status).render(view, { navSection: 'officer', ...locals });
}

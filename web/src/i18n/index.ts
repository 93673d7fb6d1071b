import { cy } from './cy.js';
import { en, type Dictionary } from './en.js';
import type { Language } from '../graphql/generated/graphql.js';

export type Lang = 'en' | 'cy';
export const LANGS: readonly Lang[] = ['en', 'cy'];
export const dictionaries: Record<Lang, Dictionary> = { en, cy };

export function isLang(v: unknown): v is Lang {
  return v === 'en' || v === 'cy';
}

/** The API's name for a language. */
export function apiLanguage(lang: Lang): Language {
  return lang === 'cy' ? 'CY' : 'EN';
}

/** The web's name for the API's language. */
export function webLanguage(language: Language): Lang {
  return language === 'CY' ? 'cy' : 'en';
}

export { en, cy };
export type { Dictionary };
export { plural, fmt } from './plural.js';

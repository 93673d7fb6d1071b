import { cy } from './cy.js';
import { en, type Dictionary } from './en.js';

export type Lang = 'en' | 'cy';
export const LANGS: readonly Lang[] = ['en', 'cy'];
export const dictionaries: Record<Lang, Dictionary> = { en, cy };

export function isLang(v: unknown): v is Lang {
  return v === 'en' || v === 'cy';
}

export { en, cy };
export type { Dictionary };
export { plural, fmt } from './plural.js';

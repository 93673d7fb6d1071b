import { describe, expect, it } from 'vitest';
import { cy, en, fmt, plural } from '../../src/i18n/index.js';

/** Every path to a string in a dictionary, like `common.back`. */
function keys(value: unknown, prefix = ''): string[] {
  if (typeof value === 'string') return [prefix];
  if (Array.isArray(value)) return [`${prefix}[${value.length}]`];
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
  }
  return [prefix];
}

describe('the dictionaries', () => {
  it('have the same keys in English and Welsh', () => {
    // Plural entries may have more forms in Welsh; compare everything else exactly.
    const strip = (ks: string[]) => ks.filter((k) => !/\.(zero|two|few|many)$/.test(k)).sort();
    expect(strip(keys(cy))).toEqual(strip(keys(en)));
  });

  it('translate every text: no Welsh entry is left in English', () => {
    const same: string[] = [];
    const walk = (a: unknown, b: unknown, path: string) => {
      if (typeof a === 'string' && typeof b === 'string') {
        // Names and codes that are the same in both languages.
        if (a === b && !/^(Cost|Cod|Code)$/.test(a) && !/languageName|lang$|api\.|areaKinds\.ward$/.test(path) && a.length > 3) same.push(path);
        return;
      }
      if (a && typeof a === 'object' && b && typeof b === 'object') {
        for (const k of Object.keys(a)) walk((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
      }
    };
    walk(en, cy, '');
    expect(same).toEqual([]);
  });

  it('use the same placeholders in both languages', () => {
    const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    const walk = (a: unknown, b: unknown, path: string): string[] => {
      if (typeof a === 'string' && typeof b === 'string') {
        return JSON.stringify(placeholders(a)) === JSON.stringify(placeholders(b)) ? [] : [path];
      }
      if (a && typeof a === 'object' && b && typeof b === 'object') {
        return Object.keys(a).flatMap((k) => walk((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`));
      }
      return [];
    };
    expect(walk(en, cy, '')).toEqual([]);
  });
});

describe('plural', () => {
  it('uses English forms', () => {
    expect(plural('en', en.bids.count, 1)).toBe('1 project');
    expect(plural('en', en.bids.count, 4)).toBe('4 projects');
    expect(plural('en', en.bids.count, 0)).toBe('0 projects');
  });

  it('uses the six Welsh forms, with their mutations', () => {
    expect(plural('cy', cy.bids.count, 0)).toBe('0 prosiect');
    expect(plural('cy', cy.bids.count, 1)).toBe('1 prosiect');
    expect(plural('cy', cy.bids.count, 2)).toBe('2 brosiect');
    expect(plural('cy', cy.bids.count, 3)).toBe('3 phrosiect');
    expect(plural('cy', cy.bids.count, 6)).toBe('6 phrosiect');
    expect(plural('cy', cy.bids.count, 4)).toBe('4 prosiect');
    expect(new Intl.PluralRules('cy').resolvedOptions().pluralCategories.sort()).toEqual(['few', 'many', 'one', 'other', 'two', 'zero']);
  });
});

describe('fmt', () => {
  it('fills placeholders and leaves unknown ones', () => {
    expect(fmt('Projects in {area}', { area: 'Woodhouse' })).toBe('Projects in Woodhouse');
    expect(fmt('{a} and {b}', { a: 1 })).toBe('1 and {b}');
  });
});

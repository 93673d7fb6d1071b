import { describe, expect, it } from 'vitest';
import { shownInEnglish, written } from '../../src/lib/welsh.js';

describe('council-written words in Welsh', () => {
  const round = { title: 'Neighbourhood Fund', titleCy: 'Cronfa’r Gymdogaeth', description: 'Money', descriptionCy: null };

  it('shows the Welsh on Welsh pages where there is one', () => {
    expect(written(round, 'title', 'cy')).toBe('Cronfa’r Gymdogaeth');
    expect(shownInEnglish(round, 'title', 'cy')).toBe(false);
  });

  it('falls back to the English, marked as English, where there is none', () => {
    expect(written(round, 'description', 'cy')).toBe('Money');
    expect(shownInEnglish(round, 'description', 'cy')).toBe(true);
    expect(shownInEnglish({ title: 'Benches', titleCy: '  ' }, 'title', 'cy')).toBe(true);
  });

  it('shows the English on English pages, unmarked', () => {
    expect(written(round, 'title', 'en')).toBe('Neighbourhood Fund');
    expect(shownInEnglish(round, 'title', 'en')).toBe(false);
  });

  it('copes with missing items and fields', () => {
    expect(written(undefined, 'title', 'cy')).toBe('');
    expect(shownInEnglish(null, 'title', 'cy')).toBe(false);
    expect(shownInEnglish({ name: '' }, 'name', 'cy')).toBe(false);
  });
});

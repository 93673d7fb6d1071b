import { describe, expect, it } from 'vitest';
import { categoryName, shownInEnglish, written, writtenHtml } from '../../src/lib/welsh.js';
import { cy } from '../../src/i18n/cy.js';
import { en } from '../../src/i18n/en.js';

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

  it('marks English kept on a Welsh page, and escapes', () => {
    expect(writtenHtml({ title: 'Fish & <chips>' }, 'title', 'cy')).toBe('<span lang="en">Fish &amp; &lt;chips&gt;</span>');
    expect(writtenHtml({ title: 'Fish', titleCy: 'Pysgod & sglodion' }, 'title', 'cy')).toBe('Pysgod &amp; sglodion');
    expect(writtenHtml({ title: 'Fish & chips' }, 'title', 'en')).toBe('Fish &amp; chips');
  });

  it('names every bid category in both languages', () => {
    const api = ['community', 'environment', 'health', 'young people', 'older people', 'sport', 'culture', 'education', 'transport', 'public space', 'safety', 'other'];
    for (const c of api) {
      expect(en.categories[c]).toBeTruthy();
      expect(cy.categories[c]).toBeTruthy();
    }
    expect(categoryName(cy.categories, 'young people')).toBe('Pobl ifanc');
    expect(categoryName(en.categories, 'Environment')).toBe('Environment');
    expect(categoryName(cy.categories, 'allotments')).toBe('Allotments');
  });
});

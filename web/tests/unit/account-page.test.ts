// The account page's words come from the dictionaries, in the page's language.
import { describe, expect, it } from 'vitest';
import { cy, en } from '../../src/i18n/index.js';
import { keptData, roleNames } from '../../src/view-models/account.js';

describe('the account page', () => {
  it('says what we keep for a verification in the page’s language', () => {
    const v = { ageCheckedAtLeast: 16, hasPhone: false, hasEmail: true };
    expect(keptData(en, v)).toEqual([en.account.kept.hashes, en.account.kept.nameWords, en.account.kept.connection, en.account.kept.age, en.account.kept.email]);
    const welsh = keptData(cy, { ageCheckedAtLeast: null, hasPhone: true, hasEmail: false });
    expect(welsh).toEqual([cy.account.kept.hashes, cy.account.kept.nameWords, cy.account.kept.connection, cy.account.kept.phone]);
    expect(welsh.join(' ')).not.toMatch(/keyed|hash of|your/);
  });
  it('names roles in the page’s language', () => {
    expect(roleNames(en, ['OFFICER', 'ADMIN'])).toEqual(['Resident', 'Officer', 'Admin']);
    expect(roleNames(cy, ['COUNCILLOR'])).toEqual(['Preswylydd', 'Cynghorydd']);
  });
});

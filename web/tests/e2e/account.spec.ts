// Your account: the language we write to you in, downloading your data,
// deleting your account. Each test signs in as a new person: the demo
// accounts' sign-in codes are left to the other journeys.
import { expect, test } from '@playwright/test';
import { emailsTo, expectAccessible, folderCount, newPerson, signIn } from './helpers.js';

test('the language switch, signed in, is kept by the account for its emails and the next sign-in', async ({ browser }) => {
  const context = await newPerson(browser);
  const page = await context.newPage();
  const email = 'iaith@example.org';
  await signIn(page, email);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your account');
  await expect(page.getByText('Language of our emails')).toBeVisible();

  await page.getByRole('link', { name: /Cymraeg/ }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Eich cyfrif');
  await expect(page.locator('.govuk-summary-list')).toContainText('Iaith ein negeseuon e-bost');
  await expectAccessible(page);

  // Signed out, this browser goes back to English; the account keeps Welsh.
  await page.goto('/sign-out');
  await page.goto('/sign-in?lang=en');
  const before = folderCount('mail');
  await signIn(page, email);
  const sent = emailsTo(email, before);
  expect(sent.at(-1)?.subject).toMatch(/^Eich cod mewngofnodi Fairshare/);
  // Signed in, the pages follow the account's language.
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Eich cyfrif');
  await expect(page.locator('html')).toHaveAttribute('lang', 'cy');
  await context.close();
});

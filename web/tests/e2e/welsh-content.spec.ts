// Welsh for what the council writes: a round's title and description and an
// area's name show in Welsh on Welsh pages where the council gave them, and
// otherwise in English marked lang="en", so a screen reader reads them in an
// English voice. Officers give the Welsh on the staff forms.
import { expect, test } from '@playwright/test';
import { expectAccessible, expectNoHorizontalScroll, newPerson, roundId, signIn, makeAdmin } from './helpers.js';

const stamp = Date.now();

test('a round written in Welsh reads in Welsh, and English kept on a Welsh page is marked', async ({ browser }) => {
  const context = await newPerson(browser);
  const page = await context.newPage();
  const welshRound = await roundId('Neighbourhood Fund 2027');

  // The demo's voting round has no Welsh title: English, marked as English.
  const votingRound = await roundId('Summer Streets 2026');
  await page.goto(`/rounds/${votingRound}?lang=cy`);
  await expect(page.locator('h1 span[lang="en"]')).toHaveText('Summer Streets 2026');

  await page.goto(`/rounds/${welshRound}?lang=cy`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Cronfa Cymdogaethau 2027');
  await expect(page).toHaveTitle(/^Cronfa Cymdogaethau 2027/);
  await expect(page.locator('main')).toContainText('Mae grwpiau’n gwneud cais');
  // Area names have no Welsh in the demo: English, marked.
  await expect(page.locator('main li a span[lang="en"]', { hasText: 'Hyde Park and Woodhouse' })).toBeVisible();
  await expectAccessible(page);
  await page.setViewportSize({ width: 320, height: 640 });
  await expectNoHorizontalScroll(page);

  // Bid categories in Welsh: the filter on the list of projects.
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`/rounds/${votingRound}?lang=cy`);
  await page.locator('main li a[href*="/areas/"]').first().click();
  const options = await page.locator('main select option').allInnerTexts();
  expect(options).toContain('Amgylchedd');
  expect(options).not.toContain('Environment');
  await expectAccessible(page);

  await page.goto(`/rounds/${welshRound}?lang=en`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Neighbourhood Fund 2027');
  await expect(page.locator('main span[lang="en"]')).toHaveCount(0);
  await context.close();
});

test('an officer gives an area its Welsh name, and takes it away', async ({ browser }) => {
  test.setTimeout(120_000);
  const admin = `welsh-admin-${stamp}@example.org`;
  makeAdmin(admin);
  const context = await newPerson(browser);
  const page = await context.newPage();
  await signIn(page, admin, '/officer/areas/new');
  const name = `Test Ward ${stamp}`;
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Kind of area').selectOption('ward');
  await page.getByLabel('Name in Welsh (optional)').fill(`Ward Prawf ${stamp}`);
  await page.getByLabel('Postcodes, sectors or districts it covers').fill('LS29 9');
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Save the area' }).click();
  await expect(page).toHaveURL(/\/officer$/);

  // Its id, from the officer's list of areas.
  const link = page.getByRole('link', { name, exact: true }).first();
  const href = await link.getAttribute('href');
  const id = href?.split('/').pop();
  expect(id).toBeTruthy();

  await page.goto(`/areas/${id}?lang=cy`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Ward Prawf ${stamp}`);
  await expect(page.locator('h1 span[lang="en"]')).toHaveCount(0);
  await expectAccessible(page);
  await page.goto(`/areas/${id}?lang=en`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);

  // Taken away: the Welsh page shows the English, marked.
  await page.goto(`/officer/areas/${id}`);
  await expect(page.getByLabel('Name in Welsh (optional)')).toHaveValue(`Ward Prawf ${stamp}`);
  await page.getByLabel('Name in Welsh (optional)').fill('');
  await page.getByRole('button', { name: 'Save the area' }).click();
  await expect(page).toHaveURL(/\/officer$/);
  await page.goto(`/areas/${id}?lang=cy`);
  await expect(page.locator('h1 span[lang="en"]')).toHaveText(name);
  await context.close();
});

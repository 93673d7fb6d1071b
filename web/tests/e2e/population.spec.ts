// The population and deprivation figures that participation is set
// against: an officer sees the demo's figures for its two wards, imports a
// population file with wrong lines (refused whole, the lines named, in
// English and on the Welsh page), then the real file; then the deprivation
// look-up, with the wrong deciles file first. The files are the real-layout
// ones the demo itself is seeded from, in api/assets/population.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { WEB_ROOT } from './env.js';
import { checkBothWidths, expectAccessible, makeAdmin, newPerson, screenshots, signIn } from './helpers.js';

/** A file in the repository's population and deprivation assets. */
const asset = (name: string) => path.resolve(WEB_ROOT, '../api/assets/population', name);

const h1 = (page: Page) => page.getByRole('heading', { level: 1 });

/** The demo's Woodhouse estimates with two wrong lines: a word for a number (line 5), and a column too many (line 7). */
async function wrongPopulationFile(): Promise<Buffer> {
  const lines = (await readFile(asset('woodhouse-mid-2022.csv'), 'utf8')).split('\n');
  lines[4] = lines[4]!.replace('"1,690",8,', '"1,690",eight,');
  lines[6] = lines[6]!.replace('E01011358,Leeds 054E,', 'E01011358,Leeds 054E,extra,');
  return Buffer.from(lines.join('\n'));
}

test('an officer imports population figures and the deprivation look-up; wrong files are refused whole, naming their lines', async ({ browser }) => {
  // The demo officer's sign-in codes are kept for other journeys: a new address of its own.
  const officer = 'petra.population@example.org';
  makeAdmin(officer);
  const context = await newPerson(browser);
  const page = await context.newPage();
  await page.goto('/officer');
  await signIn(page, officer, '/officer');
  await page.getByRole('link', { name: 'See each area’s population and the deprivation look-up, and import new figures' }).click();
  await expect(h1(page)).toHaveText('Population and deprivation');

  // The demo's figures for its two wards, and its look-up.
  const woodhouse = page.getByRole('region', { name: 'Hyde Park and Woodhouse' });
  await expect(woodhouse.getByRole('table', { name: 'People in Hyde Park and Woodhouse, by age' })).toBeVisible();
  await expect(woodhouse.getByRole('row', { name: /^Under 18/ })).toContainText('920');
  await expect(woodhouse.getByRole('row', { name: /^75 and over/ })).toContainText('459');
  await expect(woodhouse).toContainText('6,632');
  await expect(page.getByRole('region', { name: 'Chapel Allerton' })).toContainText('6,550');
  await expect(page.getByText('Illustrative postcode look-up and IMD 2019 deciles')).toBeVisible();
  await checkBothWidths(page);
  await screenshots(page, 'population');

  // A population file with wrong lines: nothing is imported, and the lines are named.
  await woodhouse.getByRole('link', { name: 'Import population figures for Hyde Park and Woodhouse' }).click();
  await expect(h1(page)).toHaveText('Import population figures');
  await page.getByRole('button', { name: 'Import the figures' }).click();
  const summary = page.getByRole('alert');
  await expect(summary).toContainText('Say where the figures come from');
  await expect(summary).toContainText('Select a CSV file');
  await page.getByLabel('Where the figures come from').fill('ONS mid-2022 LSOA estimates, checked');
  await page.getByLabel('Population file (CSV)').setInputFiles({ name: 'woodhouse-wrong.csv', mimeType: 'text/csv', buffer: await wrongPopulationFile() });
  await page.getByRole('button', { name: 'Import the figures' }).click();
  await expect(summary).toContainText('Nothing was imported: the file has 2 wrong lines: line 5: age 0 is "eight"');
  await expect(summary).toContainText('line 7:');
  await expect(summary.getByRole('link')).toHaveAttribute('href', '#file');
  await expect(page.locator('#file-error')).toContainText('line 5:');
  await expect(page.getByLabel('Where the figures come from')).toHaveValue('ONS mid-2022 LSOA estimates, checked');
  await checkBothWidths(page);
  await screenshots(page, 'population-import-wrong');

  // In Welsh the page is Welsh, and the API's English words are marked as English.
  await page.getByRole('link', { name: 'Cymraeg' }).click();
  await expect(h1(page)).toHaveText('Mewnforio ffigurau poblogaeth');
  await page.getByLabel('O ble mae’r ffigurau’n dod').fill('Amcangyfrifon y SYG');
  await page.getByLabel('Ffeil poblogaeth (CSV)').setInputFiles({ name: 'woodhouse-wrong.csv', mimeType: 'text/csv', buffer: await wrongPopulationFile() });
  await page.getByRole('button', { name: 'Mewnforio’r ffigurau' }).click();
  await expect(page.getByRole('alert')).toContainText('Mae problem wedi codi');
  await expect(page.getByRole('alert').locator('span[lang="en"]')).toContainText('line 5:');
  await expectAccessible(page);
  await page.getByRole('link', { name: 'English' }).click();

  // The real file replaces the figures in use.
  await page.getByLabel('Where the figures come from').fill('ONS mid-2022 LSOA estimates, checked');
  await page.getByLabel('Population file (CSV)').setInputFiles(asset('woodhouse-mid-2022.csv'));
  await page.getByRole('button', { name: 'Import the figures' }).click();
  await expect(h1(page)).toHaveText('Population and deprivation');
  await expect(page.getByText('The population figures were imported.')).toBeVisible();
  await expect(woodhouse).toContainText('ONS mid-2022 LSOA estimates, checked');
  await expect(woodhouse).toContainText('6,632');
  await expect(woodhouse.getByRole('row', { name: /^18 to 24/ })).toContainText('2,341');

  // The deprivation look-up: a population file is not a deciles file.
  await page.getByRole('button', { name: 'Import the deprivation look-up' }).click();
  await expect(h1(page)).toHaveText('Import the deprivation look-up');
  await page.getByRole('button', { name: 'Import the look-up' }).click();
  await expect(summary).toContainText('Select the postcode look-up file');
  await expect(summary).toContainText('Select the deciles file');
  await page.getByLabel('Where the figures come from').fill('ONS postcode look-up and IMD 2019, checked');
  await page.getByLabel('Postcode look-up (CSV)').setInputFiles(asset('leeds-postcodes.csv'));
  await page.getByLabel('Deprivation deciles (CSV)').setInputFiles(asset('woodhouse-mid-2022.csv'));
  await page.getByRole('button', { name: 'Import the look-up' }).click();
  await expect(summary).toContainText('deciles file');
  await expect(summary.getByRole('link')).toHaveAttribute('href', '#deciles');
  await checkBothWidths(page);
  await screenshots(page, 'deprivation-import-wrong');

  await page.getByLabel('Postcode look-up (CSV)').setInputFiles(asset('leeds-postcodes.csv'));
  await page.getByLabel('Deprivation deciles (CSV)').setInputFiles(asset('imd-2019.csv'));
  await page.getByRole('button', { name: 'Import the look-up' }).click();
  await expect(page.getByText('The deprivation look-up was imported.')).toBeVisible();
  const lookup = page.getByRole('heading', { name: 'Deprivation look-up' }).locator('xpath=following-sibling::dl[1]');
  await expect(lookup).toContainText('ONS postcode look-up and IMD 2019, checked');
  await expect(lookup.locator('.govuk-summary-list__row', { hasText: 'Neighbourhoods with a decile' })).toContainText('8');
  await context.close();
});

// Council rules in the count: officers set them on a round and residents
// read them before voting, in English and Welsh; a group says which part
// of the area a bid is for; staff compare counting rules on an uploaded
// pabulib file (in English and in Welsh) and on a published round;
// residents cannot.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { DEMO, apiSession, expectAccessible, newPerson, screenshots, signIn } from './helpers.js';

const FIXTURE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/riverside-small.pb');
// The API sends one address at most five sign-in codes an hour, and the
// other journeys sign the demo officer and chair in several times: these
// use the admin, the councillor and accounts of their own.
const RESIDENT = 'rules.resident@example.org';

/** The comparison's table of rules, one row per rule asked for. */
async function expectRulesCompared(page: Page, rules: string[]) {
  await expect(page.getByRole('heading', { level: 2, name: 'What each rule would fund' })).toBeVisible();
  const table = page.getByRole('table', { name: 'The rules compared' }).first();
  await expect(table).toBeVisible();
  for (const rule of rules) await expect(table.getByRole('rowheader', { name: rule })).toBeVisible();
}

test('admin: compares three counting rules on an uploaded pabulib file', async ({ browser }) => {
  const context = await newPerson(browser);
  const page = await context.newPage();
  await page.goto('/officer');
  await signIn(page, DEMO.admin, '/officer');
  await page.getByRole('link', { name: 'Compare counting rules on a pabulib file' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Compare counting rules');
  await expectAccessible(page);
  await screenshots(page, 'simulator');

  // No file: the error says so, and the rules chosen are kept.
  await page.getByLabel('Counting rule for rule 3').selectOption('phragmen');
  await page.getByRole('button', { name: 'Compare the rules' }).click();
  await expect(page).toHaveTitle(/^Error: Compare counting rules on a pabulib file/);
  await expect(page.getByRole('alert')).toContainText('Select a pabulib file (.pb)');
  await expect(page.getByLabel('Counting rule for rule 3')).toHaveValue('phragmen');
  await expectAccessible(page);

  await page.getByLabel('Pabulib file (.pb)').setInputFiles(FIXTURE);
  await page.getByLabel('Counting rule for rule 1').selectOption('greedy');
  await page.getByLabel('Counting rule for rule 2').selectOption('mes-add1');
  await page.getByText('Council rules for rule 2 (optional)').click();
  await page.getByLabel('Most money for a category for rule 2').fill('young people: 30%');
  await page.getByLabel('Least support a bid needs for rule 2').fill('3');
  await page.getByRole('button', { name: 'Compare the rules' }).click();

  await expectRulesCompared(page, ['1. greedy', '2. mes-add1', '3. phragmen']);
  // A file's pot is named by its unit (or its description).
  await expect(page.getByRole('heading', { level: 3, name: 'Riverside', exact: true })).toBeVisible();
  // The most supported bid is funded by greedy; with young people held to
  // 30% of the pot, mes-add1 cannot fund it.
  const bids = page.getByRole('table', { name: 'Bids funded by each rule' });
  await expect(bids.getByRole('row')).toHaveCount(6);
  const playArea = bids.getByRole('row', { name: /Play area repairs/ });
  await expect(playArea.getByRole('cell').nth(2)).toHaveText('✓ Funded');
  await expect(playArea.getByRole('cell').nth(3)).toContainText('Not funded');
  await expect(page.getByRole('table', { name: 'Money for each category' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Share of the votes and of the money, by category' })).toBeVisible();
  await expect(page.getByLabel('Most money for a category for rule 2')).toHaveValue('young people: 30%');
  await expectAccessible(page);
  await screenshots(page, 'simulator-result');
  await context.close();
});

test('admin: compares counting rules on a pabulib file in Welsh', async ({ browser }) => {
  const context = await newPerson(browser);
  const page = await context.newPage();
  await page.goto('/officer/simulator');
  await signIn(page, DEMO.admin, '/officer/simulator');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Compare counting rules');
  try {
    // The language switch in the header, as on the public pages.
    await page.getByRole('link', { name: /Cymraeg/ }).click();
    await expect(page).toHaveURL(/\/officer\/simulator\?lang=cy$/);
    await expect(page.locator('html')).toHaveAttribute('lang', 'cy');
    await expect(page.locator('main')).not.toHaveAttribute('lang');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Cymharu rheolau cyfrif');
    await expectAccessible(page);

    // No file: the error in Welsh, and the rules chosen are kept.
    await page.getByLabel('Rheol gyfrif ar gyfer rheol 3').selectOption('mes');
    await page.getByRole('button', { name: 'Cymharu’r rheolau' }).click();
    await expect(page).toHaveTitle(/^Gwall: Cymharu rheolau cyfrif ar ffeil pabulib/);
    await expect(page.getByRole('alert')).toContainText('Dewiswch ffeil pabulib (.pb)');
    await expect(page.getByLabel('Rheol gyfrif ar gyfer rheol 3')).toHaveValue('mes');
    await expectAccessible(page);

    await page.getByLabel('Ffeil pabulib (.pb)').setInputFiles(FIXTURE);
    await page.getByText('Rheolau’r cyngor ar gyfer rheol 2 (dewisol)').click();
    await page.getByLabel('Uchafswm yr arian ar gyfer categori ar gyfer rheol 2').fill('young people: 30%');
    await page.getByRole('button', { name: 'Cymharu’r rheolau' }).click();

    await expect(page.getByRole('heading', { level: 2, name: 'Beth fyddai pob rheol yn ei ariannu' })).toBeVisible();
    const table = page.getByRole('table', { name: 'Y rheolau ochr yn ochr' });
    await expect(table).toBeVisible();
    // Rule names stay as they are.
    for (const rule of ['1. greedy', '2. mes-add1', '3. mes']) await expect(table.getByRole('rowheader', { name: rule })).toBeVisible();
    await expect(table).toContainText('Gyda rheolau’r cyngor: 30% o’r pot ar y mwyaf ar gyfer young people');
    const playArea = page.getByRole('table', { name: 'Ceisiadau a fyddai’n cael cyllid o dan bob rheol' }).getByRole('row', { name: /Play area repairs/ });
    await expect(playArea.getByRole('cell').nth(2)).toHaveText('✓ Yn cael cyllid');
    await expect(playArea.getByRole('cell').nth(3)).toContainText('Heb gyllid');
    await expect(page.getByRole('table', { name: 'Arian ar gyfer pob categori' })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Cyfran o’r pleidleisiau ac o’r arian, fesul categori' })).toBeVisible();
    await expect(page.getByRole('listitem').filter({ hasText: '1. greedy: cyfran o’r arian' }).first()).toBeVisible();
    await expectAccessible(page);
    await screenshots(page, 'simulator-result-cy');
  } finally {
    // The switch keeps Welsh on the admin's account: back to English for the other journeys.
    await page.goto('/officer/simulator?lang=en');
  }
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Compare counting rules');
  await context.close();
});

test('councillor: compares counting rules on the published demo round', async ({ browser }) => {
  const context = await newPerson(browser);
  const page = await context.newPage();
  await page.goto('/officer');
  await signIn(page, DEMO.councillor, '/officer');
  await page.getByRole('link', { name: 'Spring Greens 2026' }).click();
  await page.getByRole('link', { name: 'Compare counting rules' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Compare counting rules');
  // The round's own rule comes first.
  await expect(page.getByLabel('Counting rule for rule 1')).toHaveValue('mes-add1');
  await expect(page.getByLabel('Pabulib file (.pb)')).toHaveCount(0);
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Compare the rules' }).click();
  await expectRulesCompared(page, ['1. mes-add1', '2. greedy', '3. mes']);
  await expect(page.getByRole('heading', { level: 3, name: 'Hyde Park and Woodhouse' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 3, name: 'Chapel Allerton' })).toBeVisible();
  await expectAccessible(page);
  await screenshots(page, 'simulator-round');
  await context.close();
});

test('resident: cannot reach the rule simulator, and the API refuses them', async ({ browser }) => {
  const context = await newPerson(browser);
  const page = await context.newPage();
  await page.goto('/officer/simulator');
  await signIn(page, RESIDENT, '/officer/simulator');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('You cannot see this page');
  await expect(page.getByRole('link', { name: 'Staff pages' })).toHaveCount(0);
  await expectAccessible(page);
  await page.goto('/');
  await page.getByRole('link', { name: 'Spring Greens 2026' }).first().click();
  await expect(page.getByRole('link', { name: /Compare counting rules/ })).toHaveCount(0);
  await context.close();

  const api = await apiSession(RESIDENT);
  await expect(api('query($i: SimulationInput!) { simulateCount(input: $i) { pots { name } } }', { i: { pbFile: 'META\nkey;value\nbudget;10\n', rules: [{ name: 'greedy' }] } })).rejects.toThrow();
});

test('admin: council rules on a round, shown to residents in English and Welsh', async ({ browser }) => {
  const context = await newPerson(browser);
  const page = await context.newPage();
  await page.goto('/officer/rounds/new');
  await signIn(page, DEMO.admin, '/officer/rounds/new');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Set up a funding round');
  await page.getByLabel('Title', { exact: true }).fill('Woodhouse Play Fund');
  await page.getByLabel('Hyde Park and Woodhouse (leave empty if not in this round)').fill('5000');

  // Typed wrong: each field says what is wrong.
  await page.getByLabel('Most for young people').fill('half');
  await page.getByLabel('Least support a bid needs', { exact: true }).fill('lots');
  await page.getByLabel('Bids of which at most one may be funded').fill('7');
  await page.getByRole('button', { name: 'Save the round' }).click();
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('Enter the most for young people in whole pounds, like 5000, or as a share of the pot, like 30%');
  await expect(alert).toContainText('Enter a number of votes, like 20, or a share of the voters, like 5%');
  await expect(alert).toContainText('A set needs at least two bids');
  await expect(page.getByLabel('Most for young people')).toHaveValue('half');
  await expectAccessible(page);

  // A rule that cannot apply them: the API's refusal shows beside the council rules.
  await page.getByLabel('Most for young people').fill('30%');
  await page.getByLabel('Least support a bid needs', { exact: true }).fill('3');
  await page.getByLabel('Bids of which at most one may be funded').fill('');
  await page.getByLabel('Counting rule').selectOption('greedy-threshold');
  await page.getByLabel('greedy-threshold: least support a bid needs (optional)').fill('2');
  await page.getByRole('button', { name: 'Save the round' }).click();
  await expect(page.getByRole('alert').getByRole('link')).toHaveAttribute('href', '#constraints');
  await expect(page.locator('#constraints')).toContainText('greedy-threshold');
  await expectAccessible(page);

  await page.getByLabel('Counting rule').selectOption('mes-add1');
  await page.getByLabel('greedy-threshold: least support a bid needs (optional)').fill('');
  await page.getByRole('button', { name: 'Save the round' }).click();
  await expect(page.getByText('The round was saved.')).toBeVisible();
  // The API words the rules; each is a sentence of the list.
  const rules = page.locator('.govuk-summary-list__row', { hasText: 'Council rules' }).getByRole('listitem');
  await expect(rules.first()).toBeVisible();
  const sentences = await rules.allTextContents();
  await page.getByRole('link', { name: 'Change the round’s details and settings' }).click();
  await expect(page.getByLabel('Most for young people')).toHaveValue('30%');
  await expect(page.getByLabel('Least support a bid needs', { exact: true })).toHaveValue('3');

  await page.goto(page.url().replace(/\/officer\/rounds\/(\d+)\/edit$/, '/rounds/$1'));
  await expect(page.getByRole('heading', { level: 2, name: 'Rules for counting' })).toBeVisible();
  await expect(page.locator('#rules-for-counting + p + ul > li')).toHaveText(sentences.map((x) => x.trim()));
  await expectAccessible(page);
  await screenshots(page, 'round-council-rules');
  await page.goto(`${page.url()}?lang=cy`);
  await expect(page.getByRole('heading', { level: 2, name: 'Rheolau ar gyfer cyfrif' })).toBeVisible();
  await expect(page.locator('#rules-for-counting + p + ul > li')).toHaveCount(sentences.length);
  await expectAccessible(page);
  await page.goto(page.url().replace('lang=cy', 'lang=en'));
  await context.close();
});

// A draft, so that the round's public list of bids, which other journeys
// count, does not change.
test('community group: a bid for one part of the area, kept as a draft', async ({ browser }) => {
  const context = await newPerson(browser);
  const page = await context.newPage();
  await page.goto('/groups');
  await signIn(page, 'locality.chair@example.org', '/groups');
  await page.getByRole('button', { name: 'Register a group' }).click();
  await page.getByLabel('Group name').fill('Rampart Road Residents');
  await page.getByLabel('What does the group do?').fill('Looking after the streets around Rampart Road.');
  await page.getByLabel('Contact email address').fill('rampart@example.org');
  await page.getByLabel('Hyde Park and Woodhouse').check();
  await page.getByRole('button', { name: 'Register a group' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Rampart Road Residents');
  const groupUrl = page.url();

  await page.getByRole('button', { name: 'Write a bid' }).click();
  await page.getByLabel('Neighbourhood Fund 2027').check();
  // The whole of the pot's area unless another is chosen (the demo's other ward, here).
  const area = page.getByLabel('Which area is the project for? (optional)');
  await expect(area).toHaveValue('');
  await expect(area.locator('option').first()).toHaveText('All of Hyde Park and Woodhouse');
  await page.getByLabel('Project name', { exact: true }).fill('Corner planters');
  await area.selectOption({ label: 'Chapel Allerton' });
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Save as draft' }).click();
  await expect(page.getByText('Your draft was saved.')).toBeVisible();

  await page.getByRole('link', { name: 'Continue' }).first().click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Continue your bid');
  await expect(area.locator('option:checked')).toHaveText('Chapel Allerton');
  const draftUrl = page.url();
  await page.goto(draftUrl.replace(/\/groups\/\d+\/drafts\/(\d+)$/, '/bids/$1'));
  await expect(page.locator('.govuk-summary-list__row', { hasText: 'Part of the area' })).toContainText('Chapel Allerton');
  await expectAccessible(page);
  await page.goto(`${page.url()}?lang=cy`);
  await expect(page.locator('.govuk-summary-list__row', { hasText: 'Rhan o’r ardal' })).toContainText('Chapel Allerton');
  await page.goto(`${draftUrl}?lang=en`);
  // Back to the whole area: sent as no area.
  await area.selectOption('');
  await page.getByRole('button', { name: 'Save as draft' }).click();
  await page.goto(draftUrl.replace(/\/groups\/\d+\/drafts\/(\d+)$/, '/bids/$1'));
  await expect(page.locator('.govuk-summary-list__row', { hasText: 'Part of the area' })).toHaveCount(0);
  await page.goto(`${draftUrl}/delete`);
  await page.getByRole('button', { name: 'Delete the draft' }).click();
  await expect(page).toHaveURL(groupUrl);
  await context.close();
});

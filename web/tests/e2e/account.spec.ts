// Your account: the language we write to you in, downloading your data,
// deleting your account. Each test signs in as a new person: the demo
// accounts' sign-in codes are left to the other journeys.
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { apiSession, emailsTo, expectAccessible, expectNoHorizontalScroll, folderCount, newPerson, screenshots, signIn } from './helpers.js';

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
  expect(sent.at(-1)?.subject).toMatch(/^Eich cod mewngofnodi Cronfa Cymdogaethau/);
  // Signed in, the pages follow the account's language.
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Eich cyfrif');
  await expect(page.locator('html')).toHaveAttribute('lang', 'cy');
  await context.close();
});

test('deleting your account: a confirmation page, refused while you alone hold a group, then done', async ({ browser }) => {
  // Someone who is the only member of a group is told to hand it over.
  const lone = 'alone@example.org';
  const api = await apiSession(lone);
  const { areas } = await api('{ areas(first: 20) { nodes { id name } } }');
  await api('mutation($i: RegisterGroupInput!) { registerGroup(input: $i) { id } }', {
    i: { name: 'Lonely Gardeners', description: 'One person who looks after a verge.', contactEmail: lone, areaId: areas.nodes[0].id },
  });
  let context = await newPerson(browser);
  let page = await context.newPage();
  await signIn(page, lone);
  await page.getByRole('link', { name: 'Delete your account' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Are you sure you want to delete your account?');
  await expect(page.getByText('You are the only member of Lonely Gardeners.')).toBeVisible();
  await page.getByLabel('Yes, delete my account').check();
  await page.getByRole('button', { name: 'Delete account' }).click();
  await expect(page).toHaveTitle(/^Error: /);
  await expect(page.getByRole('alert')).toContainText('You are the only member of Lonely Gardeners');
  await expectAccessible(page);
  await page.goto('/account');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your account');
  await context.close();

  // Someone else deletes theirs, in Welsh, after forgetting to tick the box.
  context = await newPerson(browser);
  page = await context.newPage();
  const email = 'gadael@example.org';
  await signIn(page, email);
  await page.goto('/account/delete?lang=cy');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Ydych chi’n siŵr eich bod am ddileu eich cyfrif?');
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Dileu’r cyfrif' }).click();
  await expect(page.getByRole('alert')).toContainText('Dewiswch ‘Ydw, dilëwch fy nghyfrif’');
  await expectAccessible(page);
  await page.goto('/account/delete?lang=en');
  await page.getByLabel('Yes, delete my account').check();
  await page.getByRole('button', { name: 'Delete account' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your account has been deleted');
  await expectAccessible(page);
  // Signed out: the account page asks you to sign in.
  await page.goto('/account');
  await expect(page).toHaveURL(/\/sign-in/);
  await context.close();
});

test('download your data: a JSON file with your account, groups and verification, and no hashes', async ({ browser }) => {
  const context = await newPerson(browser);
  const page = await context.newPage();
  const email = 'data@example.org';
  await signIn(page, email);
  await expect(page.getByRole('heading', { level: 2, name: 'Your data' })).toBeVisible();
  await expectAccessible(page);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download your data' }).click()]);
  expect(download.suggestedFilename()).toBe('fairshare-your-data.json');
  const text = readFileSync(await download.path(), 'utf8');
  const mine = JSON.parse(text) as { account: { id: string; language: string; emailAddress: string }; auditEntries: { action: string }[] };
  expect(mine.account.language).toBe('en');
  expect(mine.account.emailAddress).toMatch(/^not stored/);
  expect(mine.auditEntries.map((e) => e.action)).toContain('signed_in');
  expect(text).not.toContain(email);
  // The same in Welsh: the link is there too.
  await page.goto('/account?lang=cy');
  await expect(page.getByRole('link', { name: 'Lawrlwytho eich data' })).toBeVisible();
  await expectAccessible(page);
  await context.close();
});

test('your name: given in Welsh and changed in English at 320 px, and shown to the rest of your group', async ({ browser }) => {
  const email = 'enw@example.org';
  const api = await apiSession(email);
  const { areas } = await api('{ areas(first: 20) { nodes { id } } }');
  const { registerGroup } = await api('mutation($i: RegisterGroupInput!) { registerGroup(input: $i) { id } }', {
    i: { name: 'Bench Menders', description: 'We mend the benches on Woodhouse Moor.', contactEmail: email, areaId: areas.nodes[0].id },
  });
  const context = await newPerson(browser, { viewport: { width: 320, height: 800 } });
  const page = await context.newPage();
  const heading = page.getByRole('heading', { level: 1 });
  const details = page.locator('.govuk-summary-list').first();
  const check = async () => {
    await expectNoHorizontalScroll(page);
    await expectAccessible(page);
  };
  await signIn(page, email);

  await page.goto('/account?lang=cy');
  await expect(heading).toHaveText('Eich cyfrif');
  await expect(details).toContainText('Heb ei osod');
  await check();
  await page.getByRole('link', { name: 'Newid eich enw' }).click();
  await expect(heading).toHaveText('Pa enw ddylai aelodau eraill eich grwpiau ei weld?');
  await check();
  await screenshots(page, 'account-name');
  const field = page.getByLabel('Pa enw ddylai aelodau eraill eich grwpiau ei weld?');
  await field.fill('a'.repeat(61));
  await page.getByRole('button', { name: 'Cadw' }).click();
  await expect(page).toHaveTitle(/^Gwall: /);
  await expect(page.getByRole('alert')).toContainText('Rhaid i’ch enw fod yn 60 nod neu lai');
  await expect(field).toHaveValue('a'.repeat(61));
  await check();
  await field.fill('Siân Jones');
  await page.getByRole('button', { name: 'Cadw' }).click();
  await expect(heading).toHaveText('Eich cyfrif');
  await expect(page.getByText('Cafodd eich enw ei gadw.')).toBeVisible();
  await expect(details).toContainText('Siân Jones');
  await check();

  await page.goto('/account?lang=en');
  await page.getByRole('link', { name: 'Change your name' }).click();
  await expect(heading).toHaveText('What name should other members of your groups see?');
  const englishField = page.getByLabel('What name should other members of your groups see?');
  await expect(englishField).toHaveValue('Siân Jones');
  await check();
  await englishField.fill('Siân Jones, chair');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Your name was saved.')).toBeVisible();
  await expect(details).toContainText('Siân Jones, chair');
  await check();

  // The group's members see the name.
  await page.goto(`/groups/${registerGroup.id}`);
  await expect(page.locator('.app-member')).toContainText('Siân Jones, chair');
  await check();

  // An empty name removes it.
  await page.goto('/account/name');
  await englishField.fill('');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Your name was removed.')).toBeVisible();
  await expect(details).toContainText('Not set');
  await page.goto(`/groups/${registerGroup.id}`);
  await expect(page.locator('.app-member')).toContainText('A member who has not given a name');
  await context.close();
});

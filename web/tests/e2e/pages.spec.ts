// Every public page in both languages: axe finds nothing, nothing scrolls
// sideways at 320 px, the language switch works, and Welsh pages say so.
import { expect, test, type Page } from '@playwright/test';
import { codeFor, expectAccessible, expectNoHorizontalScroll, folderCount, newPerson, screenshots } from './helpers.js';

const PAGES = [
  { path: '/', name: 'start' },
  { path: '/postcode', name: 'postcode' },
  { path: '/areas/1', name: 'area' },
  { path: '/rounds/1', name: 'round' },
  { path: '/rounds/1/areas/1', name: 'bids' },
  { path: '/bids/1', name: 'bid' },
  { path: '/sign-in', name: 'sign-in' },
  { path: '/accessibility', name: 'accessibility' },
  { path: '/dev/messages', name: 'dev-messages' },
];

/** Tabs until `name` has focus, checking each focused element shows it. */
async function tabUntil(page: Page, name: RegExp) {
  for (let i = 0; i < 100; i += 1) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return null;
      const style = getComputedStyle(el);
      const visible = style.outlineStyle !== 'none' || style.boxShadow !== 'none' || style.backgroundColor === 'rgb(255, 221, 0)';
      return { text: (el.innerText || el.getAttribute('aria-label') || (el as HTMLInputElement).labels?.[0]?.innerText || '').trim(), visible };
    });
    if (focused) expect(focused.visible, `focus is visible on "${focused.text}"`).toBe(true);
    if (focused && name.test(focused.text)) return;
  }
  throw new Error(`could not reach ${name} with the Tab key`);
}

for (const lang of ['en', 'cy'] as const) {
  test(`public pages in ${lang === 'en' ? 'English' : 'Welsh'}: accessible, and usable at 320 px`, async ({ browser }) => {
    const context = await newPerson(browser);
    const page = await context.newPage();
    await page.goto(`/?lang=${lang}`);
    for (const { path, name } of PAGES) {
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.goto(path);
      await expect(page.locator('html')).toHaveAttribute('lang', lang);
      await expectAccessible(page);
      await page.setViewportSize({ width: 320, height: 640 });
      await expectNoHorizontalScroll(page);
      await expectAccessible(page);
      if (lang === 'cy') await screenshots(page, `cy-${name}`);
    }
    await context.close();
  });
}

test('the language switch is on every page and keeps the page', async ({ browser }) => {
  const context = await newPerson(browser);
  const page = await context.newPage();
  await page.goto('/rounds/1/areas/1?category=environment');
  await page.getByRole('link', { name: 'Cymraeg' }).click();
  await expect(page).toHaveURL(/\/rounds\/1\/areas\/1\?category=environment&lang=cy$/);
  await expect(page.locator('html')).toHaveAttribute('lang', 'cy');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Prosiectau yn Hyde Park and Woodhouse');
  await expect(page.getByText('1 prosiect', { exact: true })).toBeVisible();
  // English is a link written in English.
  await expect(page.getByRole('link', { name: /English/ })).toHaveAttribute('lang', 'en');
  await page.getByRole('link', { name: 'Yn ôl' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'cy');
  await page.getByRole('link', { name: /English/ }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await context.close();
});

test('Welsh: the postcode question with its error, page title and summary in Welsh', async ({ browser }) => {
  const context = await newPerson(browser);
  const page = await context.newPage();
  await page.goto('/postcode?lang=cy');
  await page.getByRole('button', { name: 'Parhau' }).click();
  await expect(page).toHaveTitle(/^Gwall: Beth yw eich cod post\?/);
  await expect(page.getByRole('alert')).toContainText('Mae problem wedi codi');
  await expect(page.getByRole('alert')).toContainText('Rhowch eich cod post');
  await expectAccessible(page);
  await context.close();
});

test('keyboard only: the resident journey from the start page to proving eligibility, with visible focus', async ({ browser }) => {
  const context = await newPerson(browser);
  const page = await context.newPage();
  await page.goto('/');

  const tabTo = (name: RegExp) => tabUntil(page, name);

  await tabTo(/^Skip to main content$/);
  await tabTo(/^Start now/);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('What is your postcode?');
  await tabTo(/What is your postcode/);
  await page.keyboard.type('LS6 1AB');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Hyde Park and Woodhouse');
  await tabTo(/^See the projects[\s\S]*Neighbourhood Fund 2027/);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Projects in Hyde Park and Woodhouse');
  await tabTo(/^Search projects$/);
  await page.keyboard.type('path');
  await page.keyboard.press('Enter');
  await expect(page.getByText('1 project', { exact: true })).toBeVisible();
  await tabTo(/^Accessible path to the play area$/);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Accessible path to the play area');

  await tabTo(/^Neighbourhood Fund 2027$/);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Neighbourhood Fund 2027');
  await tabTo(/^Check if you can vote$/);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sign in with your email address');
  await tabTo(/^Email address$/);
  const email = 'keys.resident@example.org';
  let before = folderCount('mail');
  await page.keyboard.type(email);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Check your email');
  await tabTo(/^Code$/);
  await page.keyboard.type(await codeFor(email, before));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Check if you can vote');

  // An empty form: the error summary takes focus, and its links lead to the fields.
  await tabTo(/^Continue$/);
  await page.keyboard.press('Enter');
  await expect(page.locator('.govuk-error-summary')).toBeFocused();
  await tabTo(/^Enter your full name$/);
  await page.keyboard.press('Enter');
  await expect(page.getByLabel('Full name')).toBeFocused();
  await page.keyboard.type('Kay Board');
  await tabTo(/^Day$/);
  await page.keyboard.type('9');
  await page.keyboard.press('Tab');
  await page.keyboard.type('9');
  await page.keyboard.press('Tab');
  await page.keyboard.type('1999');
  await tabTo(/^Postcode$/);
  await page.keyboard.type('LS2 9JT');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('How do you want to prove who you are?');
  // Tab reaches the group of radios; the arrow keys choose within it.
  await tabTo(/^A code sent by text message$/);
  await page.keyboard.press('ArrowDown');
  await expect(page.getByLabel('A code sent by email')).toBeChecked();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Email address');
  await tabTo(/^Email address$/);
  before = folderCount('mail');
  await page.keyboard.type(email);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Enter the code we sent you');
  await tabTo(/^Enter the code we sent you$/);
  await page.keyboard.type(await codeFor(email, before));
  await page.keyboard.press('Enter');
  // The round also asks for a text message: the first of the radios.
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('How do you want to prove who you are?');
  await tabTo(/^A code sent by text message$/);
  await page.keyboard.press('Space');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('UK mobile number');
  await tabTo(/^UK mobile number$/);
  before = folderCount('sms');
  await page.keyboard.type('07700 900103');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Enter the code we sent you');
  await tabTo(/^Enter the code we sent you$/);
  await page.keyboard.type(await codeFor('+447700900103', before, 'sms'));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('You can vote in this round');
  await context.close();
});

test('Welsh: the signed-in pages of residents and groups, accessible', async ({ browser }) => {
  const context = await newPerson(browser);
  const page = await context.newPage();
  await page.goto('/groups?lang=cy');
  await page.getByLabel('Cyfeiriad e-bost').fill('chair@woodhouse-moor-friends.demo.fairshare.localhost');
  let before = folderCount('mail');
  await page.getByRole('button', { name: 'Parhau' }).click();
  await page.getByLabel('Cod', { exact: true }).fill(await codeFor('chair@woodhouse-moor-friends.demo.fairshare.localhost', before));
  await page.getByRole('button', { name: 'Parhau' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Eich grwpiau cymunedol');
  await expectAccessible(page);
  await screenshots(page, 'cy-groups');
  await page.getByRole('link', { name: 'Little London Youth Club' }).click();
  await expect(page.getByRole('heading', { name: 'Aelodau' })).toBeVisible();
  await expectAccessible(page);
  await screenshots(page, 'cy-group');
  await page.getByRole('button', { name: 'Ysgrifennu cais' }).click();
  await page.getByRole('button', { name: 'Parhau' }).click();
  await expect(page).toHaveTitle(/^Gwall: Ysgrifennu cais/);
  await expect(page.getByRole('alert')).toContainText('Rhowch enw’r prosiect');
  await expectAccessible(page);
  await screenshots(page, 'cy-bid-form-errors');
  await page.getByRole('link', { name: 'Eich cyfrif' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Eich cyfrif');
  await expectAccessible(page);
  await context.close();

  // A resident not yet verified: the declaration page in Welsh.
  const resident = await newPerson(browser);
  const p2 = await resident.newPage();
  await p2.goto('/rounds/1/verify?lang=cy');
  await p2.getByLabel('Cyfeiriad e-bost').fill('newcomer@demo.fairshare.localhost');
  before = folderCount('mail');
  await p2.getByRole('button', { name: 'Parhau' }).click();
  await p2.getByLabel('Cod', { exact: true }).fill(await codeFor('newcomer@demo.fairshare.localhost', before));
  await p2.getByRole('button', { name: 'Parhau' }).click();
  await expect(p2.getByRole('heading', { level: 1 })).toHaveText('Gwirio a allwch bleidleisio');
  await p2.getByRole('button', { name: 'Parhau' }).click();
  await expect(p2.getByRole('alert')).toContainText('Rhowch eich enw llawn');
  await expectAccessible(p2);
  await screenshots(p2, 'cy-verify-errors');
  await resident.close();
});

test('keyboard only: voting in the demo round, from its page to the receipt', async ({ browser }) => {
  const context = await newPerson(browser);
  const page = await context.newPage();
  const tabTo = (name: RegExp) => tabUntil(page, name);
  await page.goto('/');
  await tabTo(/^Summer Streets 2026$/);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Summer Streets 2026');
  await tabTo(/^Vote now$/);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sign in with your email address');
  await tabTo(/^Email address$/);
  const email = 'resident@demo.fairshare.localhost';
  const before = folderCount('mail');
  await page.keyboard.type(email);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Check your email');
  await tabTo(/^Code$/);
  await page.keyboard.type(await codeFor(email, before));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Choose the projects you support');
  await tabTo(/^Bike repair café$/);
  await page.keyboard.press('Space');
  await expect(page.getByLabel('Bike repair café')).toBeChecked();
  await tabTo(/^Continue$/);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Check your vote before you send it');
  await tabTo(/^Send my vote$/);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Vote received');
  await context.close();
});

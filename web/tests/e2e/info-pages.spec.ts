// The pages a council must publish, in English and Welsh, linked from every
// page's footer: the accessibility statement, the privacy notice, cookies,
// contact and help, and how to take part in Easy Read. The start page, the
// sign-in pages and the page for being checked in person tell people the
// other ways to take part and the help line. The numbers are the
// defaults of config.ts, the same as the API's.
import { expect, test } from '@playwright/test';
import { codeFor, expectAccessible, expectNoHorizontalScroll, folderCount, newPerson, roundId, screenshots, checkBothWidths } from './helpers.js';

const HELP_LINE = '0113 496 0000';
const SMS = '07700 900123';
const VOICE = '0113 496 0123';
const EMAIL = 'help@demo.fairshare.localhost';

type Lang = 'en' | 'cy';

/** Each page: its address, its heading and what it must say, in each language. */
const PAGES: { path: string; name: string; heading: Record<Lang, string>; says: Record<Lang, string[]> }[] = [
  {
    path: '/accessibility',
    name: 'accessibility',
    heading: { en: 'Accessibility statement for Neighbourhood Fund', cy: 'Datganiad hygyrchedd ar gyfer Cronfa Cymdogaethau' },
    says: {
      en: [
        'run by Leeds Demo Council',
        'This website is partially compliant with the Web Content Accessibility Guidelines version 2.2 AA standard',
        'Equality and Human Rights Commission',
        'Equality Advisory and Support Service (EASS)',
        'Equality Commission for Northern Ireland',
        'What to do if you cannot use parts of this website',
        'Reporting accessibility problems with this website',
        '1.3.1 (Info and Relationships)',
        'This statement was prepared on 7 December 2026',
        `call ${HELP_LINE}`,
        EMAIL,
        'Any council library or community hub, Monday to Friday 9am to 5pm',
      ],
      cy: [
        'Cyngor Arddangos Leeds sy’n rhedeg y wefan',
        'Mae’r wefan hon yn cydymffurfio’n rhannol â safon AA Canllawiau Hygyrchedd Cynnwys y We fersiwn 2.2',
        'Y Comisiwn Cydraddoldeb a Hawliau Dynol',
        'Gwasanaeth Cynghori a Chymorth Cydraddoldeb (EASS)',
        'Chomisiwn Cydraddoldeb Gogledd Iwerddon (ECNI)',
        'Y drefn orfodi',
        'Paratowyd y datganiad hwn ar 7 Rhagfyr 2026',
        `ffoniwch ${HELP_LINE}`,
        EMAIL,
        'Unrhyw un o lyfrgelloedd neu hybiau cymunedol y cyngor',
      ],
    },
  },
  {
    path: '/privacy',
    name: 'privacy',
    heading: { en: 'Privacy notice', cy: 'Hysbysiad preifatrwydd' },
    says: {
      en: [
        'Leeds Demo Council is the data controller',
        'We store it only as a keyed hash',
        'Whether you have voted in a round, never what you voted for. Ballots are anonymous',
        'Our lawful basis is public task',
        '90 days after the round’s results are published',
        'choose ‘Download your data’',
        'choose ‘Delete your account’',
        'data protection officer',
        'Information Commissioner’s Office (ICO)',
      ],
      cy: [
        'Cyngor Arddangos Leeds yw’r rheolydd data',
        'stwnsh ag allwedd',
        'Mae papurau pleidleisio yn ddienw',
        'Ein sail gyfreithlon yw tasg gyhoeddus',
        '90 diwrnod ar ôl i ganlyniadau’r cylch gael eu cyhoeddi',
        'Swyddfa’r Comisiynydd Gwybodaeth (ICO)',
      ],
    },
  },
  {
    path: '/cookies',
    name: 'cookies',
    heading: { en: 'Cookies', cy: 'Cwcis' },
    says: {
      en: ['We use only essential cookies', 'We do not use analytics cookies', 'fs_session', 'fs_visitor', 'fs_csrf', 'fs_lang', 'fs_flash', 'fairshare_session'],
      cy: ['Dim ond cwcis hanfodol rydym yn eu defnyddio', 'Nid ydym yn defnyddio cwcis dadansoddi', 'fs_session', 'fs_visitor', 'fs_csrf', 'fs_lang', 'fs_flash', 'fairshare_session'],
    },
  },
  {
    path: '/contact',
    name: 'contact',
    heading: { en: 'Contact us and get help', cy: 'Cysylltu â ni a chael help' },
    says: {
      en: [`Help line: ${HELP_LINE}`, `Text your voting code and the word BIDS to ${SMS}`, `Call ${VOICE} and key in your voting code`, EMAIL, 'Any council library or community hub, Monday to Friday 9am to 5pm', 'help you vote on paper', 'Relay UK'],
      cy: [`Llinell gymorth: ${HELP_LINE}`, `CYNIGION i ${SMS}`, `Ffoniwch ${VOICE}`, EMAIL, 'Unrhyw un o lyfrgelloedd neu hybiau cymunedol y cyngor', 'a’ch helpu i bleidleisio ar bapur', 'Relay UK'],
    },
  },
  {
    path: '/easy-read',
    name: 'easy-read',
    heading: { en: 'How to take part: Easy Read', cy: 'Sut i gymryd rhan: Hawdd ei Ddeall' },
    says: {
      en: ['1. Find your area', '2. Show that you live there', '3. Vote', '4. Check your receipt', '5. See the results', `text your code to ${SMS}`, `call ${VOICE}`, `Call ${HELP_LINE}.`],
      cy: ['1. Dod o hyd i’ch ardal', '2. Dangos eich bod yn byw yno', '3. Pleidleisio', '4. Gwirio eich derbynneb', '5. Gweld y canlyniadau', `tecstiwch eich cod i ${SMS}`, `ffoniwch ${VOICE}`, `Ffoniwch ${HELP_LINE}.`],
    },
  },
];

const FOOTER: Record<Lang, { name: string; href: string }[]> = {
  en: [
    { name: 'Accessibility statement', href: '/accessibility' },
    { name: 'Privacy', href: '/privacy' },
    { name: 'Cookies', href: '/cookies' },
    { name: 'Contact us and get help', href: '/contact' },
    { name: 'Easy Read', href: '/easy-read' },
  ],
  cy: [
    { name: 'Datganiad hygyrchedd', href: '/accessibility' },
    { name: 'Preifatrwydd', href: '/privacy' },
    { name: 'Cwcis', href: '/cookies' },
    { name: 'Cysylltu â ni a chael help', href: '/contact' },
    { name: 'Hawdd ei Ddeall', href: '/easy-read' },
  ],
};

for (const lang of ['en', 'cy'] as const) {
  test(`information pages in ${lang === 'en' ? 'English' : 'Welsh'}: what they must say, accessible, and usable at 320 px`, async ({ browser }) => {
    test.setTimeout(240_000);
    const context = await newPerson(browser);
    const page = await context.newPage();
    for (const { path, name, heading, says } of PAGES) {
      const res = await page.goto(`${path}?lang=${lang}`);
      expect(res?.status(), path).toBe(200);
      await expect(page.locator('html')).toHaveAttribute('lang', lang);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(heading[lang]);
      const main = page.locator('main');
      for (const text of says[lang]) await expect(main, `${path} in ${lang}`).toContainText(text);
      await checkBothWidths(page);
      await screenshots(page, `${lang}-info-${name}`);
    }
    await context.close();
  });

  test(`the footer links to every information page, in ${lang === 'en' ? 'English' : 'Welsh'}`, async ({ browser }) => {
    const context = await newPerson(browser);
    const page = await context.newPage();
    await page.goto(`/?lang=${lang}`);
    const footer = page.locator('footer');
    for (const { name, href } of FOOTER[lang]) {
      await expect(footer.getByRole('link', { name, exact: true })).toHaveAttribute('href', href);
    }
    await expect(footer).toContainText(HELP_LINE);
    await expect(footer).toContainText(EMAIL);
    // Each link leads to its page, in the same language.
    for (const { name, href } of FOOTER[lang]) {
      await page.locator('footer').getByRole('link', { name, exact: true }).click();
      await expect(page).toHaveURL(new RegExp(`${href}$`));
      await expect(page.locator('html')).toHaveAttribute('lang', lang);
    }
    await context.close();
  });
}

test('the start page gives the other ways to take part and the help line, in English and Welsh', async ({ browser }) => {
  const context = await newPerson(browser);
  const page = await context.newPage();
  await page.goto('/?lang=en');
  const main = page.locator('main');
  await expect(main.getByRole('heading', { level: 2, name: 'Other ways to take part' })).toBeVisible();
  for (const text of [`by text message, to ${SMS}`, `by phone, using your keypad: call ${VOICE}`, 'by letter or on paper, with help from a council officer', `call the help line on ${HELP_LINE}`]) {
    await expect(main).toContainText(text);
  }
  await expect(main.getByRole('link', { name: 'Contact us and get help' })).toHaveAttribute('href', '/contact');
  await expect(main.getByRole('link', { name: 'How to take part, in Easy Read' })).toHaveAttribute('href', '/easy-read');
  await page.goto('/?lang=cy');
  await expect(main.getByRole('heading', { level: 2, name: 'Ffyrdd eraill o gymryd rhan' })).toBeVisible();
  for (const text of [`drwy neges destun, i ${SMS}`, `ffoniwch ${VOICE}`, 'drwy lythyr neu ar bapur', `ffoniwch y llinell gymorth ar ${HELP_LINE}`]) {
    await expect(main).toContainText(text);
  }
  await checkBothWidths(page);
  await context.close();
});

test('the sign-in pages say you can vote without an email address, in English and Welsh, and a long address wraps at 320 px', async ({ browser }) => {
  const context = await newPerson(browser);
  const page = await context.newPage();
  const main = page.locator('main');
  for (const [lang, heading, text] of [
    ['en', 'If you do not have an email address', `by text message, by phone using your keypad, or on paper with a council officer. Call the help line on ${HELP_LINE}`],
    ['cy', 'Os nad oes gennych gyfeiriad e-bost', `drwy neges destun, dros y ffôn gan ddefnyddio eich bysellbad, neu ar bapur gyda swyddog o’r cyngor. Ffoniwch y llinell gymorth ar ${HELP_LINE}`],
  ] as const) {
    await page.goto(`/sign-in?lang=${lang}`);
    await expect(main.getByRole('heading', { level: 2, name: heading })).toBeVisible();
    await expect(main).toContainText(text);
    await expect(main.getByRole('link', { name: lang === 'en' ? 'Other ways to take part' : 'Ffyrdd eraill o gymryd rhan' })).toHaveAttribute('href', '/contact#vote-without-the-internet');
    await checkBothWidths(page);
  }

  // The code page, for an address far wider than a phone's screen.
  const email = `a.very.long.address.for.someone.who.takes.part.${Date.now()}@neighbourhood-fund.example.org`;
  await page.goto('/sign-in?lang=en');
  await page.setViewportSize({ width: 320, height: 640 });
  const before = folderCount('mail');
  await page.getByLabel('Email address').fill(email);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Check your email');
  await expect(main).toContainText(`We have sent a code to ${email}`);
  await expect(main.getByRole('heading', { level: 2, name: 'If you do not have an email address' })).toBeVisible();
  await expectNoHorizontalScroll(page);
  await expectAccessible(page);
  await screenshots(page, 'sign-in-code-long-address');
  expect(await codeFor(email, before)).toMatch(/^\d{6}$/);
  await context.close();
});

test('being checked in person: where, when and the help line, in English and Welsh at 320 px', async ({ browser }) => {
  const id = await roundId('Summer Streets 2026');
  const context = await newPerson(browser, { viewport: { width: 320, height: 640 } });
  const page = await context.newPage();
  const email = `petra.places.${Date.now()}@example.org`;
  await page.goto(`/sign-in?next=${encodeURIComponent(`/rounds/${id}/verify/in-person`)}`);
  const before = folderCount('mail');
  await page.getByLabel('Email address').fill(email);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByLabel('Code', { exact: true }).fill(await codeFor(email, before));
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Prove who you are in person');
  const where = page.locator('#in-person-where');
  await expect(where).toContainText('Where and when');
  await expect(where).toContainText('Any council library or community hub, Monday to Friday 9am to 5pm');
  await expect(where).toContainText('Help line');
  await expect(where).toContainText(HELP_LINE);
  await expect(page.locator('main')).toContainText('An officer can check your details over the phone.');
  await expectNoHorizontalScroll(page);
  await expectAccessible(page);

  await page.goto(`/rounds/${id}/verify/in-person?lang=cy`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Profi pwy ydych chi wyneb yn wyneb');
  await expect(where).toContainText('Ble a phryd');
  await expect(where).toContainText('Unrhyw un o lyfrgelloedd neu hybiau cymunedol y cyngor, dydd Llun i ddydd Gwener 9am i 5pm');
  await expect(where).toContainText('Llinell gymorth');
  await expect(where).toContainText(HELP_LINE);
  await expectNoHorizontalScroll(page);
  await expectAccessible(page);
  await screenshots(page, 'cy-verify-in-person-places');
  await context.close();
});

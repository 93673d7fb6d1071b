// Proving who you are, where the journey used to leave residents without a
// word: in person after starting online (the reference on their screen, which
// the officer types in), a confirmed email address that is not enough by
// itself, and how long a sign-in code lasts (as long as the email says).
import { expect, test, type Page } from '@playwright/test';
import { DEMO, codeFor, emailsTo, expectAccessible, expectNoHorizontalScroll, folderCount, newPerson, roundId, screenshots, signIn } from './helpers.js';

/** The declaration, in English, for a round whose only relation is living there. */
async function declare(page: Page, person: { name: string; dob: [string, string, string]; postcode: string }) {
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Check if you can vote');
  await page.getByLabel('Full name').fill(person.name);
  await page.getByLabel('Day').fill(person.dob[0]);
  await page.getByLabel('Month').fill(person.dob[1]);
  await page.getByLabel('Year').fill(person.dob[2]);
  await page.getByLabel('Postcode').fill(person.postcode);
  await page.getByRole('button', { name: 'Continue' }).click();
}

test('in person after starting online: the officer types the reference from the resident’s screen, and the resident can vote', async ({ browser }) => {
  const id = await roundId('Summer Streets 2026');
  const person = { name: 'Iris Inperson', dob: ['12', '8', '1961'] as [string, string, string], postcode: 'LS6 2AB' };

  // The resident gives their details online, then chooses to be seen in person.
  const resident = await newPerson(browser);
  const page = await resident.newPage();
  await page.goto(`/rounds/${id}/verify`);
  await signIn(page, 'iris.inperson@example.org');
  await declare(page, person);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('How do you want to prove who you are?');
  await page.getByLabel('In person, with a council officer').check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Prove who you are in person');
  const shown = page.locator('.govuk-inset-text');
  await expect(shown).toHaveText(/^\s*Show this reference to the officer who checks your details: \d+-[0-9A-Z]{5}\s*$/);
  const reference = /(\d+-[0-9A-Z]{5})/.exec((await shown.textContent()) ?? '')?.[1] ?? '';
  await expect(page.getByText('Bring proof of your address')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Back', exact: true })).toHaveAttribute('href', `/rounds/${id}/verify/method`);
  await expectAccessible(page);
  await screenshots(page, 'verify-in-person');

  // The officer checks them. Without the reference they are told what to ask for, beside its field.
  const officer = await newPerson(browser);
  const op = await officer.newPage();
  await op.goto(`/officer/rounds/${id}/in-person`);
  await signIn(op, DEMO.officer);
  await expect(op.getByRole('heading', { level: 1 })).toHaveText('Verify a resident in person');
  await op.getByLabel('Full name').fill(person.name);
  await op.getByLabel('Day').fill(person.dob[0]);
  await op.getByLabel('Month').fill(person.dob[1]);
  await op.getByLabel('Year').fill(person.dob[2]);
  await op.getByLabel('Postcode').fill(person.postcode);
  await op.getByLabel('Proof of address').check();
  await op.getByRole('button', { name: 'Verify the resident' }).click();
  await expect(op.getByRole('alert')).toContainText('started proving who they are online');
  await expect(op.getByRole('alert').getByRole('link', { name: /reference on their screen/ })).toHaveAttribute('href', '#reference');
  await expect(op.locator('#reference-error')).toContainText('or the email address they signed in with');
  await expect(op.getByLabel('Full name')).toHaveValue(person.name);
  await expectAccessible(op);
  await screenshots(op, 'officer-in-person-started-online');

  // With the reference (typed in lower case, as people do), their own record is completed.
  await op.getByLabel('Reference from their screen (if they started online)').fill(reference.toLowerCase());
  await op.getByRole('button', { name: 'Verify the resident' }).click();
  await expect(op.getByRole('heading', { level: 1 })).toHaveText('Resident verified');
  await expect(op.getByText('For Hyde Park and Woodhouse')).toBeVisible();
  await officer.close();

  // The resident can now vote.
  await page.goto(`/rounds/${id}/verify`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('You can vote in this round');
  await page.goto(`/rounds/${id}/vote`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Choose the projects you support');
  await resident.close();
});

test('Welsh at 320 px: a confirmed email address that is not enough says so, then the register is not offered without one, and in person shows the reference', async ({ browser }) => {
  const context = await newPerson(browser, { viewport: { width: 320, height: 640 } });
  const page = await context.newPage();
  const email = 'eira.ebost@example.org';
  const check = async (name: string) => {
    await expect(page.locator('html')).toHaveAttribute('lang', 'cy');
    await expectNoHorizontalScroll(page);
    await expectAccessible(page);
    await screenshots(page, `cy-${name}`);
  };

  await page.goto('/rounds/1/verify?lang=cy');
  await page.getByLabel('Cyfeiriad e-bost').fill(email);
  let before = folderCount('mail');
  await page.getByRole('button', { name: 'Parhau' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Gwiriwch eich e-bost');
  await expect(page.getByText(`Rydym wedi anfon cod at ${email}. Mae’n para am 10 munud.`)).toBeVisible();
  await check('sign-in-code');
  await page.getByLabel('Cod', { exact: true }).fill(await codeFor(email, before));
  await page.getByRole('button', { name: 'Parhau' }).click();

  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Gwirio a allwch bleidleisio');
  await page.getByLabel('Enw llawn').fill('Eira Ebost');
  await page.getByLabel('Diwrnod').fill('3');
  await page.getByLabel('Mis').fill('10');
  await page.getByLabel('Blwyddyn').fill('1984');
  await page.getByLabel('Cod post').fill('LS7 4AA');
  await page.getByRole('button', { name: 'Parhau' }).click();

  // The round accepts the register, but none has been imported: it is not offered.
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sut ydych chi eisiau profi pwy ydych chi?');
  await expect(page.getByLabel('Cod wedi’i anfon drwy e-bost')).toBeVisible();
  await expect(page.getByLabel('Gwiriad yn erbyn cofrestr y cyngor')).toHaveCount(0);
  await check('verify-method');

  await page.getByLabel('Cod wedi’i anfon drwy e-bost').check();
  await page.getByRole('button', { name: 'Parhau' }).click();
  before = folderCount('mail');
  await page.getByLabel('Cyfeiriad e-bost').fill(email);
  await page.getByRole('button', { name: 'Parhau' }).click();
  await page.getByLabel('Rhowch y cod a anfonwyd atoch').fill(await codeFor(email, before));
  await page.getByRole('button', { name: 'Parhau' }).click();

  // The code was right, but an email address is not enough by itself: the page says so, and offers what is left.
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sut ydych chi eisiau profi pwy ydych chi?');
  await expect(page.locator('.govuk-notification-banner')).toContainText(
    'Mae eich cyfeiriad e-bost wedi’i gadarnhau. Mae angen un prawf arall o bwy ydych chi ar gyfer y cylch hwn: dewiswch ffordd arall.',
  );
  await expect(page.getByLabel('Cod wedi’i anfon drwy e-bost')).toHaveCount(0);
  await expect(page.getByLabel('Cod wedi’i anfon drwy neges destun')).toBeVisible();
  await check('verify-method-email-confirmed');

  // Once read, the message goes.
  await page.reload();
  await expect(page.locator('.govuk-notification-banner')).toHaveCount(0);

  await page.getByLabel('Wyneb yn wyneb, gyda swyddog o’r cyngor').check();
  await page.getByRole('button', { name: 'Parhau' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Profi pwy ydych chi wyneb yn wyneb');
  await expect(page.locator('.govuk-inset-text')).toHaveText(/^\s*Dangoswch y cyfeirnod hwn i’r swyddog sy’n gwirio eich manylion: \d+-[0-9A-Z]{5}\s*$/);
  await expect(page.getByText('Dewch â phrawf o’ch cyfeiriad gyda chi')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Yn ôl', exact: true })).toHaveAttribute('href', '/rounds/1/verify/method');
  await check('verify-in-person');
  await context.close();
});

test('a sign-in code lasts as long on the page as in the email, in English and Welsh', async ({ browser }) => {
  for (const { lang, email, page: said, mail } of [
    { lang: 'en', email: 'minutes.en@example.org', page: /It lasts for (\d+) minutes\./, mail: /for the next (\d+) minutes/ },
    { lang: 'cy', email: 'munudau.cy@example.org', page: /Mae’n para am (\d+) munud\./, mail: /am y (\d+) munud nesaf/ },
  ]) {
    const context = await newPerson(browser);
    const page = await context.newPage();
    await page.goto(`/sign-in?lang=${lang}`);
    const before = folderCount('mail');
    await page.getByLabel(lang === 'en' ? 'Email address' : 'Cyfeiriad e-bost').fill(email);
    await page.getByRole('button', { name: lang === 'en' ? 'Continue' : 'Parhau' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(lang === 'en' ? 'Check your email' : 'Gwiriwch eich e-bost');
    await expectAccessible(page);
    await codeFor(email, before);
    const onPage = said.exec((await page.locator('main').textContent()) ?? '')?.[1];
    const inMail = mail.exec(emailsTo(email, before).map((m) => m.body).join('\n'))?.[1];
    expect(inMail, `the ${lang} email gives a lifetime`).toBeDefined();
    expect(onPage, `the ${lang} page gives the email’s lifetime`).toBe(inMail);
    expect(onPage).toBe('10');
    await context.close();
  }
});

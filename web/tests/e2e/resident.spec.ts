// The resident's journey: postcode → the area's rounds and bids → a bid →
// sign in with an emailed code → prove eligibility as the round requires.
import { expect, test, type Page } from '@playwright/test';
import { codeFor, expectAccessible, folderCount, newPerson, screenshots, signIn } from './helpers.js';

interface Person {
  email: string;
  name: string;
  dob: [string, string, string];
  phone: string;
}

async function residentJourney(page: Page, person: Person, opts: { shots?: boolean; axe?: boolean } = {}) {
  const { email } = person;
  const shot = async (name: string) => {
    // axe runs inside the page, so not where JavaScript is off; the same pages are checked with it on.
    if (opts.axe !== false) await expectAccessible(page);
    if (opts.shots) await screenshots(page, name);
  };
  await page.goto('/');
  await expect(page).toHaveTitle('Have your say on neighbourhood funding – Neighbourhood Fund – Leeds Demo Council');
  await shot('start');
  await page.getByRole('button', { name: 'Start now' }).click();

  // A postcode in no area is refused with the error summary, value kept.
  await page.getByLabel('What is your postcode?').fill('ZZ1 1ZZ');
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page).toHaveTitle(/^Error: What is your postcode\?/);
  await expect(page.getByRole('alert')).toContainText('There is a problem');
  await expect(page.getByLabel('What is your postcode?')).toHaveValue('ZZ1 1ZZ');
  await shot('postcode-error');

  await page.getByLabel('What is your postcode?').fill('ls6 1ab');
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Hyde Park and Woodhouse');
  await shot('area');

  await page.getByRole('link', { name: /See the projects.*Neighbourhood Fund 2027/ }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Projects in Hyde Park and Woodhouse');
  await expect(page.getByText('4 projects')).toBeVisible();
  await shot('bids');

  // Search, then the category filter.
  await page.getByLabel('Search projects').fill('wildflower');
  await page.getByRole('button', { name: 'Show projects' }).click();
  await expect(page.getByText('1 project', { exact: true })).toBeVisible();
  await page.getByLabel('Search projects').fill('');
  await page.getByLabel('Category').selectOption('young people');
  await page.getByRole('button', { name: 'Show projects' }).click();
  await expect(page.getByText('2 projects')).toBeVisible();
  await page.getByRole('link', { name: 'Summer holiday activity weeks' }).click();

  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Summer holiday activity weeks');
  await expect(page.getByText('£9,600')).toBeVisible();
  await expect(page.getByText('Little London Youth Club').first()).toBeVisible();
  await expect(page.getByText('No location given')).toBeVisible();
  await shot('bid');

  await page.getByRole('link', { name: 'Neighbourhood Fund 2027' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Neighbourhood Fund 2027');
  await shot('round');
  await page.getByRole('button', { name: 'Check if you can vote' }).click();

  // Signing in comes back to the same place.
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sign in with your email address');
  await shot('sign-in');
  await signIn(page, email);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Check if you can vote');

  // The declaration, with errors first.
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('alert')).toContainText('Enter your full name');
  await expect(page.getByRole('alert')).toContainText('Enter your date of birth');
  await shot('verify-errors');
  await page.getByLabel('Full name').fill(person.name);
  await page.getByLabel('Day').fill(person.dob[0]);
  await page.getByLabel('Month').fill(person.dob[1]);
  await page.getByLabel('Year').fill(person.dob[2]);
  await page.getByLabel('Postcode').fill('LS6 1AB');
  await page.getByRole('button', { name: 'Continue' }).click();

  // The round needs more than a postcode: prove it by an emailed code.
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('How do you want to prove who you are?');
  await shot('verify-method');
  await page.getByLabel('A code sent by email').check();
  await page.getByRole('button', { name: 'Continue' }).click();
  const before = folderCount('mail');
  await page.getByLabel('Email address').fill(email);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Enter the code we sent you');
  await page.getByLabel('Enter the code we sent you').fill(await codeFor(email, before));
  await page.getByRole('button', { name: 'Continue' }).click();

  // An email code proves a contact, not an address: the page says so, and the round asks for more, here a text message.
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('How do you want to prove who you are?');
  await expect(page.locator('.govuk-notification-banner')).toContainText('Your email address is confirmed. This round needs one more proof of who you are: choose another way.');
  await expect(page.getByLabel('A code sent by email')).toHaveCount(0);
  await shot('verify-method-email-confirmed');
  await page.getByLabel('A code sent by text message').check();
  await page.getByRole('button', { name: 'Continue' }).click();
  const beforeSms = folderCount('sms');
  await page.getByLabel('UK mobile number').fill(person.phone);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByLabel('Enter the code we sent you').fill(await codeFor(person.phone.replace(/^0/, '+44').replace(/\s/g, ''), beforeSms, 'sms'));
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('You can vote in this round');
  await shot('verified');

  await page.getByRole('link', { name: 'Your account' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your account');
  await expect(page.getByText('You can vote in this round')).toBeVisible();
  await shot('account');
}

test('resident: find the area, read the bids, sign in and prove eligibility', async ({ browser }) => {
  const context = await newPerson(browser);
  const page = await context.newPage();
  await residentJourney(page, { email: 'ada.resident@example.org', name: 'Ada Resident', dob: ['27', '3', '1980'], phone: '07700 900101' }, { shots: true });
  await context.close();
});

test('resident: the same journey with JavaScript turned off', async ({ browser }) => {
  const context = await newPerson(browser, { javaScriptEnabled: false });
  const page = await context.newPage();
  await residentJourney(page, { email: 'nojs.resident@example.org', name: 'Noah Script', dob: ['14', '7', '1952'], phone: '07700 900102' }, { axe: false });
  await context.close();
});

test('resident: a text-message code, and no register check for a round that has no register yet', async ({ browser }) => {
  const context = await newPerson(browser);
  const page = await context.newPage();
  await page.goto('/rounds/1/verify');
  await signIn(page, 'sms.resident@example.org');
  await page.getByLabel('Full name').fill('Sam Texter');
  await page.getByLabel('Day').fill('2');
  await page.getByLabel('Month').fill('11');
  await page.getByLabel('Year').fill('1990');
  await page.getByLabel('Postcode').fill('LS7 3AA');
  await page.getByRole('button', { name: 'Continue' }).click();
  // The round accepts the register, but none has been imported: a check could only fail, so it is not offered.
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('How do you want to prove who you are?');
  await expect(page.getByLabel('A code sent by text message')).toBeVisible();
  await expect(page.getByLabel('In person, with a council officer')).toBeVisible();
  await expect(page.getByLabel('A check against the council’s register')).toHaveCount(0);
  await expectAccessible(page);
  // Its page, reached by its address, leads back to the ways there are.
  await page.goto('/rounds/1/verify/register');
  await expect(page).toHaveURL(/\/rounds\/1\/verify\/method$/);
  await page.getByLabel('A code sent by text message').check();
  await page.getByRole('button', { name: 'Continue' }).click();
  const before = folderCount('sms');
  await page.getByLabel('UK mobile number').fill('07700 900982');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByLabel('Enter the code we sent you').fill(await codeFor('+447700900982', before, 'sms'));
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('You can vote in this round');
  await expect(page.getByText('Chapel Allerton')).toBeVisible();
  await context.close();
});

// What the journeys share: accessibility checks, screenshots, reading the
// codes the API wrote to its development folders, signing in.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { expect, type Page, type BrowserContext, type Browser } from '@playwright/test';
import { parseEml } from '../../src/routes/dev.js';
import { API_BIN, API_URL, LETTER_DIR, MAIL_DIR, RUN_DIR, SCREENSHOT_DIR, SMS_DIR } from './env.js';

/**
 * The only axe rules we turn off, each with its reason. Keep this list
 * short: every entry is a check we no longer make.
 */
export const DISABLED_AXE_RULES: { id: string; reason: string }[] = [];

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** axe-core reports no violation on the page as it is now. */
export async function expectAccessible(page: Page) {
  // Judge the page as people see it: with its stylesheet applied.
  await page.waitForLoadState('load');
  const results = await new AxeBuilder({ page })
    .withTags(TAGS)
    .disableRules(DISABLED_AXE_RULES.map((r) => r.id))
    .analyze();
  const found = results.violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(found, `axe on ${page.url()}`).toEqual([]);
}

/** No horizontal scrolling at the current width. */
export async function expectNoHorizontalScroll(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, `horizontal overflow on ${page.url()}`).toBeLessThanOrEqual(0);
}

/** Saves the page at 360 px and 1280 px wide, then restores the viewport. */
export async function screenshots(page: Page, name: string) {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const original = page.viewportSize() ?? { width: 1280, height: 900 };
  for (const width of [360, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize(original);
}

function listing(folder: string): string[] {
  try {
    return readdirSync(folder).sort();
  } catch {
    return [];
  }
}

/** The emails to `to` sent after the first `since` messages, oldest first. */
export function emailsTo(to: string, since = 0): { subject: string; body: string }[] {
  return listing(MAIL_DIR)
    .slice(since)
    .map((name) => parseEml(readFileSync(path.join(MAIL_DIR, name), 'utf8')))
    .filter((m) => m.to.toLowerCase().includes(to.toLowerCase()));
}

/** The code in the newest message to `to`, sent after `since` messages. */
export async function codeFor(to: string, since: number, dir: 'mail' | 'sms' = 'mail'): Promise<string> {
  const folder = dir === 'mail' ? MAIL_DIR : SMS_DIR;
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    for (const name of listing(folder).slice(since).reverse()) {
      const raw = readFileSync(path.join(folder, name), 'utf8');
      const text = dir === 'mail' ? (() => { const m = parseEml(raw); return m.to.toLowerCase().includes(to.toLowerCase()) ? `${m.subject}\n${m.body}` : ''; })() : raw.includes(to) ? raw : '';
      const code = /\b(\d{6})\b/.exec(text)?.[1];
      if (code) return code;
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`no code sent to ${to}`);
}

export function folderCount(dir: 'mail' | 'sms'): number {
  return listing(dir === 'mail' ? MAIL_DIR : SMS_DIR).length;
}

/** The letters the API wrote instead of posting them, oldest first, by file name. */
export function letterFiles(): string[] {
  return listing(LETTER_DIR);
}

/** A letter from the letters folder. */
export function readLetter(name: string): Buffer {
  return readFileSync(path.join(LETTER_DIR, name));
}

let clientNumber = 0;
/** A browser context that looks like its own person to the API's rate limits. */
export async function newPerson(browser: Browser, options: Parameters<Browser['newContext']>[0] = {}): Promise<BrowserContext> {
  clientNumber += 1;
  const ip = `198.51.100.${(process.pid % 50) * 5 + (clientNumber % 5) + 1}`;
  return browser.newContext({ ...options, extraHTTPHeaders: { 'x-forwarded-for': ip, ...(options.extraHTTPHeaders ?? {}) } });
}

/** Signs in on the sign-in page the browser is on (or goes there), reading the code from the mail folder. */
export async function signIn(page: Page, email: string, next = '/account') {
  if (!page.url().includes('/sign-in')) await page.goto(`/sign-in?next=${encodeURIComponent(next)}`);
  const before = folderCount('mail');
  await page.getByLabel('Email address').fill(email);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Check your email');
  const code = await codeFor(email, before);
  await page.getByLabel('Code', { exact: true }).fill(code);
  await page.getByRole('button', { name: 'Continue' }).click();
}

export const DEMO = {
  officer: 'officer@demo.fairshare.localhost',
  councillor: 'councillor@demo.fairshare.localhost',
  admin: 'admin@demo.fairshare.localhost',
  chair: 'chair@woodhouse-moor-friends.demo.fairshare.localhost',
};

/**
 * A GraphQL session straight to the API, for setting up what a journey
 * needs (a round in voting, say). The journeys themselves go through the
 * web client's pages.
 */
export async function apiSession(email: string) {
  const ip = `203.0.113.${1 + Math.floor(Math.random() * 250)}`;
  const call = async (query: string, variables: Record<string, unknown> = {}, token?: string) => {
    const res = await fetch(`${API_URL}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': ip, ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data?: Record<string, unknown>; errors?: { message: string }[] };
    if (body.errors?.length) throw new Error(`${query.slice(0, 60)}: ${body.errors.map((e) => e.message).join('; ')}`);
    return body.data as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  };
  const before = folderCount('mail');
  await call('mutation($e: String!) { requestSignInCode(email: $e) { sent } }', { e: email });
  const code = await codeFor(email, before);
  const data = await call('mutation($e: String!, $c: String!) { signIn(email: $e, code: $c) { token } }', { e: email, c: code });
  const token = data.signIn.token as string;
  return (query: string, variables: Record<string, unknown> = {}) => call(query, variables, token);
}

/** A round's id by its title; the list of rounds is public. */
export async function roundId(title: string): Promise<string> {
  const res = await fetch(`${API_URL}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ rounds(first: 50) { nodes { id title } } }' }),
  });
  const { data } = (await res.json()) as { data: { rounds: { nodes: { id: string; title: string }[] } } };
  const round = data.rounds.nodes.find((r) => r.title === title);
  if (!round) throw new Error(`no round called ${title}`);
  return round.id;
}

/** axe at 1280 px, then at 320 px with nothing scrolling sideways and axe again. */
export async function checkBothWidths(page: Page) {
  await page.setViewportSize({ width: 1280, height: 900 });
  await expectAccessible(page);
  await page.setViewportSize({ width: 320, height: 640 });
  await expectNoHorizontalScroll(page);
  await expectAccessible(page);
  await page.setViewportSize({ width: 1280, height: 900 });
}

/**
 * Makes a fresh address an admin (and so an officer) with the API's own
 * command, as a council would: the demo's staff keep their sign-in codes
 * for other journeys.
 */
export function makeAdmin(email: string) {
  execFileSync(API_BIN, ['create-admin', email], {
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: `sqlite://${path.join(RUN_DIR, 'fairshare.db')}`,
      FAIRSHARE_MAIL_DIR: MAIL_DIR,
      FAIRSHARE_SMS_DIR: SMS_DIR,
      FAIRSHARE_LETTER_DIR: LETTER_DIR,
      RUST_LOG: 'warn',
    },
    stdio: 'ignore',
  });
}

// Every state-changing request needs the form's CSRF token, whatever its
// body's type: multipart forms, with or without a file, included.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { GraphQLClient } from '../../src/graphql/client.js';

const officer = { id: '9', displayName: 'Olive Officer', language: 'EN', roles: ['OFFICER'], groups: [] };
const round = { id: '7', title: 'Winter Lights 2026', phase: 'DRAFT', pots: [] };
const page = <T>(nodes: T[]) => ({ nodes, pageInfo: { hasNextPage: false, endCursor: null } });
const operations: { name: string; variables: unknown }[] = [];
const client: GraphQLClient = {
  async request(document, variables, ctx) {
    const name = /(?:query|mutation) (\w+)/.exec(document.toString())?.[1] ?? '';
    operations.push({ name, variables });
    if (name === 'Me') return { me: ctx.token === 'tok' ? officer : null } as never;
    if (name === 'RoundPage') return { round } as never;
    if (name === 'ImportRegister') return { importRegister: { importId: '1', rowsAccepted: 2, rowsRefused: 0, refused: [] } } as never;
    if (name === 'DeleteMyVerification') return { deleteMyVerification: true } as never;
    if (name === 'AreasCoverage') return { areas: page([{ id: '1', name: 'Hyde Park', coverage: page(['LS6 1']) }]) } as never;
    throw new Error(`unexpected operation: ${name}`);
  },
};
const changes = () => operations.filter((o) => ['ImportRegister', 'DeleteMyVerification'].includes(o.name));

let server: Server;
let base: string;

beforeAll(async () => {
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  const config = { ...loadConfig({}), secureCookies: false };
  server = createApp({ config, client }).listen(0);
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => {
  server.close();
  vi.restoreAllMocks();
});

beforeEach(() => {
  operations.length = 0;
});

/** A signed-in officer's cookies and the token of the form on `path`. */
async function signedIn(path: string) {
  const res = await fetch(`${base}${path}`, { headers: { cookie: 'fs_session=tok' } });
  expect(res.status).toBe(200);
  const html = await res.text();
  const cookies = [...res.headers.getSetCookie().map((c) => c.split(';')[0]), 'fs_session=tok'].join('; ');
  return { cookies, token: /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '' };
}

function registerForm(token?: string) {
  const form = new FormData();
  if (token !== undefined) form.append('_csrf', token);
  form.append('fullName', 'full_name');
  form.append('dateOfBirth', 'date_of_birth');
  form.append('postcode', 'postcode');
  form.append('file', new Blob(['full_name,date_of_birth,postcode\nAda,1980-03-27,LS6 1AB\n'], { type: 'text/csv' }), 'register.csv');
  return form;
}

const post = (path: string, cookies: string, body: FormData | string, headers: Record<string, string> = {}) =>
  fetch(`${base}${path}`, { method: 'POST', headers: { cookie: cookies, ...headers }, body, redirect: 'manual' });

describe('CSRF on multipart forms', () => {
  it('refuses a multipart form without a token to a route that takes no file', async () => {
    const { cookies } = await signedIn('/officer/rounds/7/register');
    const form = new FormData();
    form.append('confirm', 'yes');
    const res = await post('/account/verifications/7/delete', cookies, form);
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('Your form has expired');
    expect(changes()).toEqual([]);
  });

  it('refuses it from another site, which has none of our cookies either', async () => {
    const form = new FormData();
    form.append('x', 'y');
    for (const path of ['/account/verifications/7/delete', '/officer/rounds/7/publish', '/officer/rounds/7/register']) {
      const res = await post(path, 'fs_session=tok', form, { 'sec-fetch-site': 'cross-site' });
      expect(res.status, path).toBe(403);
    }
    expect(changes()).toEqual([]);
  });

  it('refuses a file sent without a token to the register upload', async () => {
    const { cookies } = await signedIn('/officer/rounds/7/register');
    const res = await post('/officer/rounds/7/register', cookies, registerForm());
    expect(res.status).toBe(403);
    expect(changes()).toEqual([]);
  });

  it('refuses a file sent with a wrong token', async () => {
    const { cookies, token } = await signedIn('/officer/rounds/7/register');
    const res = await post('/officer/rounds/7/register', cookies, registerForm(`${token.slice(0, -2)}xx`));
    expect(res.status).toBe(403);
    expect(changes()).toEqual([]);
  });

  it('reads the file once the token is right', async () => {
    const { cookies, token } = await signedIn('/officer/rounds/7/register');
    const res = await post('/officer/rounds/7/register', cookies, registerForm(token));
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Register imported');
    const input = (changes()[0]?.variables as { input: { content: string; encoding: string } }).input;
    expect(input.encoding).toBe('BASE64');
    expect(Buffer.from(input.content, 'base64').toString()).toContain('Ada,1980-03-27');
  });

  it('passes a multipart form with its token on to a route that takes no file', async () => {
    const { cookies, token } = await signedIn('/officer/rounds/7/register');
    const form = new FormData();
    form.append('_csrf', token);
    const res = await post('/account/verifications/7/delete', cookies, form);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/account');
    expect(changes()).toMatchObject([{ name: 'DeleteMyVerification', variables: { roundId: '7' } }]);
  });

  it('reads a multipart form’s fields like an urlencoded one', async () => {
    const { cookies, token } = await signedIn('/officer/rounds/7/register');
    const form = new FormData();
    form.append('_csrf', token);
    form.append('postcode', 'LS6 1AB');
    const res = await post('/postcode', cookies, form);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/areas/1');
  });
});

describe('CSRF on other bodies', () => {
  it.each([
    ['application/json', JSON.stringify({ _csrf: 'x' })],
    ['text/plain', '_csrf=x'],
    ['application/x-www-form-urlencoded', 'confirm=yes'],
  ])('refuses %s without a valid token', async (type, body) => {
    const { cookies } = await signedIn('/officer/rounds/7/register');
    const res = await post('/account/verifications/7/delete', cookies, body, { 'content-type': type });
    expect(res.status).toBe(403);
    expect(changes()).toEqual([]);
  });

  it.each(['PUT', 'PATCH', 'DELETE'])('refuses %s without a token', async (method) => {
    const { cookies } = await signedIn('/officer/rounds/7/register');
    const res = await fetch(`${base}/account/verifications/7/delete`, { method, headers: { cookie: cookies }, redirect: 'manual' });
    expect(res.status).toBe(403);
  });
});

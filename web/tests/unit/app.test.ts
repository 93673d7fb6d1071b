// The web server's own guarantees, with a stand-in for the API.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { GraphQLClient } from '../../src/graphql/client.js';

const page = <T>(nodes: T[]) => ({ nodes, pageInfo: { hasNextPage: false, endCursor: null } });
const areas = page([{ id: '1', name: 'Hyde Park and Woodhouse', coverage: page(['LS6 1']) }]);
const calls: { query: string; variables: unknown; token?: string }[] = [];
const client: GraphQLClient = {
  async request(document, variables, ctx) {
    const query = document.toString();
    calls.push({ query, variables, token: ctx.token });
    if (query.includes('query StartPage')) return { voting: page([]), rounds: page([]) } as never;
    if (query.includes('query AreasCoverage')) return { areas } as never;
    if (query.includes('query Me')) return { me: null } as never;
    throw new Error(`unexpected operation: ${query.slice(0, 40)}`);
  },
};

let server: Server;
let base: string;
const logged: string[] = [];

beforeAll(async () => {
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    logged.push(String(chunk));
    return true;
  });
  const config = { ...loadConfig({}), secureCookies: false };
  const app = createApp({ config, client });
  server = app.listen(0);
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => {
  server.close();
  vi.restoreAllMocks();
});

async function formPage(path: string) {
  const res = await fetch(`${base}${path}`);
  const html = await res.text();
  const cookies = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
  return { res, html, cookies, token };
}

describe('the web server', () => {
  it('sends security headers and a Content-Security-Policy with no inline script', async () => {
    const { res, html } = await formPage('/');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });

  it('marks its cookies HttpOnly and SameSite', async () => {
    const { res } = await formPage('/postcode');
    const cookies = res.headers.getSetCookie();
    expect(cookies.length).toBeGreaterThan(0);
    for (const c of cookies) {
      expect(c).toMatch(/HttpOnly/i);
      expect(c).toMatch(/SameSite=(Lax|Strict)/i);
    }
  });

  it('refuses a form posted without its CSRF token', async () => {
    const { cookies } = await formPage('/postcode');
    const res = await fetch(`${base}/postcode`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookies },
      body: 'postcode=LS6+1AB',
      redirect: 'manual',
    });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('Your form has expired');
  });

  it('accepts it with the token, and keeps the postcode out of the address and the logs', async () => {
    const { cookies, token } = await formPage('/postcode');
    logged.length = 0;
    const res = await fetch(`${base}/postcode`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookies },
      body: new URLSearchParams({ _csrf: token, postcode: 'LS6 1AB' }).toString(),
      redirect: 'manual',
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/areas/1');
    expect(logged.join('')).not.toMatch(/LS6/i);
  });

  it('shows errors with the error summary, the value kept, and "Error:" in the title', async () => {
    const { cookies, token } = await formPage('/postcode');
    const res = await fetch(`${base}/postcode`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookies },
      body: new URLSearchParams({ _csrf: token, postcode: 'not a postcode' }).toString(),
    });
    const html = await res.text();
    expect(res.status).toBe(400);
    expect(html).toContain('<title>Error: What is your postcode?');
    expect(html).toContain('govuk-error-summary');
    expect(html).toContain('value="not a postcode"');
  });

  it('switches to Welsh and says so in the lang attribute', async () => {
    const res = await fetch(`${base}/?lang=cy`);
    const html = await res.text();
    expect(html).toContain('<html lang="cy"');
    expect(html).toContain('Dechrau nawr');
    expect(html).toContain('hreflang="en"');
  });

  it('does not show the crown or use GDS Transport', async () => {
    const { html } = await formPage('/');
    expect(html).not.toContain('govuk-logo');
    expect(html).not.toContain('Crown copyright');
    expect(html).not.toMatch(/GDS Transport/);
  });
});

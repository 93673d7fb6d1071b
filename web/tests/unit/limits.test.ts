// Bodies too large: through the forwarding proxy to the API, a GraphQL
// error with 413; to the web's own pages, the error page with 413. Never 500.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { GraphQLClient } from '../../src/graphql/client.js';
import { API_BODY_LIMIT_BYTES, API_OFFICER_BODY_LIMIT_BYTES } from '../../src/http/proxy.js';

const MB = 1024 * 1024;
const officer = { id: '9', displayName: 'Olive Officer', language: 'EN', roles: ['OFFICER'], groups: [] };
const BATCH = '0f6c2a9e-4b1d-4e57-9a3c-2d8e1f0b7a64';
const issued: unknown[] = [];
const client: GraphQLClient = {
  async request(document, variables, ctx) {
    const name = /(?:query|mutation) (\w+)/.exec(document.toString())?.[1] ?? '';
    if (name === 'Me') return { me: ctx.token === 'tok' ? officer : null } as never;
    if (name === 'RoundPage') return { round: { id: '7', title: 'Winter Lights 2026', phase: 'DRAFT', pots: [] } } as never;
    if (name === 'IssueVotingCodeBatch') {
      issued.push(variables);
      return { issueVotingCodes: { batchId: BATCH } } as never;
    }
    throw new Error(`unexpected operation: ${name}`);
  },
};

let api: Server;
let web: Server;
let base: string;
let downBase: string;
let down: Server;
const apiSaw: { path: string; bytes: number }[] = [];

/**
 * A stand-in for the API: /graphql reads at most what the API reads from
 * anyone, then answers 413 and closes the connection, as the API does;
 * /phone/sms reads everything and says how much.
 */
function standInApi() {
  return createServer((req, res) => {
    let bytes = 0;
    let answered = false;
    req.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (req.url === '/graphql' && bytes > API_BODY_LIMIT_BYTES && !answered) {
        answered = true;
        res.writeHead(413, { 'content-type': 'application/json' });
        res.end('{"errors":[{"message":"the request is too large","extensions":{"code":"PAYLOAD_TOO_LARGE"}}]}', () => req.socket.destroy());
      }
    });
    req.on('end', () => {
      apiSaw.push({ path: req.url ?? '', bytes });
      if (answered) return;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ data: { bytes } }));
    });
  });
}

async function listen(server: Server) {
  server.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  api = standInApi();
  const apiUrl = await listen(api);
  web = createApp({ config: { ...loadConfig({}), secureCookies: false, forwardApi: true, apiUrl }, client }).listen(0);
  await new Promise((r) => web.once('listening', r));
  base = `http://127.0.0.1:${(web.address() as AddressInfo).port}`;
  // The same, with no API behind it.
  const nowhere = createServer();
  const nowhereUrl = await listen(nowhere);
  await new Promise((r) => nowhere.close(r));
  down = createApp({ config: { ...loadConfig({}), secureCookies: false, forwardApi: true, apiUrl: nowhereUrl }, client }).listen(0);
  await new Promise((r) => down.once('listening', r));
  downBase = `http://127.0.0.1:${(down.address() as AddressInfo).port}`;
});

afterAll(() => {
  web.close();
  down.close();
  api.close();
  vi.restoreAllMocks();
});

const graphql = (url: string, body: BodyInit, extra: RequestInit = {}) =>
  fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body, ...extra });

/** A body of n bytes sent in chunks, with no Content-Length. */
function chunked(n: number): ReadableStream<Uint8Array> {
  let left = n;
  return new ReadableStream({
    pull(controller) {
      if (left <= 0) {
        controller.close();
        return;
      }
      const size = Math.min(left, 256 * 1024);
      left -= size;
      controller.enqueue(new Uint8Array(size).fill(97));
    },
  });
}

describe('a body too large for the API, through the forwarding proxy', () => {
  it('answers a 10 MB POST to /graphql with 413 and says why, without sending it on', async () => {
    const before = apiSaw.length;
    const res = await graphql(base, 'a'.repeat(10 * MB));
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toContain('application/json');
    const body = (await res.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors[0]?.extensions.code).toBe('PAYLOAD_TOO_LARGE');
    expect(body.errors[0]?.message).toMatch(/too large.*64 KiB.*8 MiB/);
    expect(apiSaw.length).toBe(before);
  });

  it('answers 413 when the API stops reading a body past its limit and closes the connection', async () => {
    for (const size of [200 * 1024, 2 * MB, 5 * MB, 8 * MB]) {
      const res = await graphql(base, 'a'.repeat(size));
      expect(res.status, `${size} bytes`).toBe(413);
      expect(((await res.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code).toBe('PAYLOAD_TOO_LARGE');
    }
  });

  it('cuts off a chunked body past the largest the API reads', async () => {
    const res = await fetch(`${base}/phone/sms`, { method: 'POST', body: chunked(API_OFFICER_BODY_LIMIT_BYTES + 2 * MB), duplex: 'half' } as RequestInit);
    expect(res.status).toBe(413);
  });

  it('streams bodies within the limits through, chunked or not', async () => {
    const res = await fetch(`${base}/phone/sms`, { method: 'POST', body: chunked(3 * MB), duplex: 'half' } as RequestInit);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: { bytes: 3 * MB } });
    const small = await graphql(base, '{"query":"{ __typename }"}');
    expect(small.status).toBe(200);
  });

  it('answers 502 in the API’s error shape when the API cannot be reached', async () => {
    const res = await graphql(downBase, '{"query":"{ __typename }"}');
    expect(res.status).toBe(502);
    expect(((await res.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code).toBe('BAD_GATEWAY');
  });
});

/** A signed-in officer's cookies and the token of the register form. */
async function signedIn() {
  const res = await fetch(`${base}/officer/rounds/7/register`, { headers: { cookie: 'fs_session=tok' } });
  const html = await res.text();
  const cookies = [...res.headers.getSetCookie().map((c) => c.split(';')[0]), 'fs_session=tok'].join('; ');
  return { cookies, token: /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '' };
}

async function expectErrorPage(res: Response, status: number, title: string) {
  expect(res.status).toBe(status);
  const html = await res.text();
  expect(html).toContain(`<h1 class="govuk-heading-l">${title}</h1>`);
  expect(html).toContain(`<title>${title} – Neighbourhood Fund – Leeds Demo Council</title>`);
}

describe('a form too large for the web', () => {
  it('answers a 10 MB form with 413 and the error page', async () => {
    const { cookies, token } = await signedIn();
    const body = new URLSearchParams({ _csrf: token, postcode: 'a'.repeat(10 * MB) }).toString();
    const res = await fetch(`${base}/postcode`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookies }, body });
    await expectErrorPage(res, 413, 'What you sent is too large');
  });

  it('says so in Welsh on Welsh pages', async () => {
    const res = await fetch(`${base}/postcode?lang=cy`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `postcode=${'a'.repeat(300 * 1024)}` });
    expect(res.status).toBe(413);
    const html = await res.text();
    expect(html).toContain('<html lang="cy"');
    expect(html).toContain('Mae’r hyn a anfonwyd gennych yn rhy fawr');
  });

  it('answers a multipart form too large with 413', async () => {
    const { cookies, token } = await signedIn();
    const form = new FormData();
    form.append('_csrf', token);
    form.append('postcode', 'a'.repeat(300 * 1024));
    const res = await fetch(`${base}/postcode`, { method: 'POST', headers: { cookie: cookies }, body: form });
    await expectErrorPage(res, 413, 'What you sent is too large');
  });

  it('answers a register file over 4 MB with 413', async () => {
    const { cookies, token } = await signedIn();
    const form = new FormData();
    form.append('_csrf', token);
    form.append('file', new Blob(['a'.repeat(4 * MB + 1)], { type: 'text/csv' }), 'register.csv');
    const res = await fetch(`${base}/officer/rounds/7/register`, { method: 'POST', headers: { cookie: cookies }, body: form });
    await expectErrorPage(res, 413, 'What you sent is too large');
  });

  it('answers a names and addresses file over 1 MB with 413, and sends a smaller one to the API as text', async () => {
    const { cookies, token } = await signedIn();
    const letters = (file: Blob) => {
      const form = new FormData();
      form.append('_csrf', token);
      form.append('addresses', file, 'addresses.csv');
      return fetch(`${base}/officer/rounds/7/letters`, { method: 'POST', headers: { cookie: cookies }, body: form, redirect: 'manual' });
    };
    await expectErrorPage(await letters(new Blob(['a'.repeat(MB + 1)], { type: 'text/csv' })), 413, 'What you sent is too large');
    expect(issued).toEqual([]);
    const csv = 'reference,name,address_1\nV12,Siân Jones,1 High Street\n';
    const res = await letters(new Blob([csv], { type: 'text/csv' }));
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/officer/rounds/7/letters/batches/${BATCH}`);
    expect(issued).toEqual([{ input: { roundId: '7', addresses: csv } }]);
  });

  it('refuses a file sent to a form that takes none', async () => {
    const { cookies, token } = await signedIn();
    const form = new FormData();
    form.append('_csrf', token);
    form.append('file', new Blob(['x']), 'x.csv');
    const res = await fetch(`${base}/account/verifications/7/delete`, { method: 'POST', headers: { cookie: cookies }, body: form, redirect: 'manual' });
    await expectErrorPage(res, 400, 'What you sent could not be read');
  });
});

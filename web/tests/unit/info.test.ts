// The council's contact details and retention period from the environment
// (the same variables and defaults as the API's), where people land after
// signing in, and the information pages rendered with those details.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { GraphQLClient } from '../../src/graphql/client.js';
import { homeFor } from '../../src/routes/auth.js';
import { cookieList } from '../../src/routes/info.js';
import { COOKIES } from '../../src/http/request.js';
import { cy, en } from '../../src/i18n/index.js';

describe('the contact details and retention period', () => {
  it('default to the API’s', () => {
    const config = loadConfig({});
    expect(config.contact).toEqual({
      helpLine: '0113 496 0000',
      smsNumber: '07700 900123',
      voiceNumber: '0113 496 0123',
      helpEmail: 'help@demo.fairshare.localhost',
      inPersonPlaces: 'Any council library or community hub, Monday to Friday 9am to 5pm',
      inPersonPlacesCy: 'Unrhyw un o lyfrgelloedd neu hybiau cymunedol y cyngor, dydd Llun i ddydd Gwener 9am i 5pm',
    });
    expect(config.verificationRetentionDays).toBe(90);
  });

  it('are read from the same variables as the API, empty ones taken as unset', () => {
    const config = loadConfig({
      FAIRSHARE_HELP_LINE: '029 2000 0000',
      FAIRSHARE_SMS_NUMBER: '07700 900456',
      FAIRSHARE_VOICE_NUMBER: '',
      FAIRSHARE_HELP_EMAIL: 'cymorth@example.gov.uk',
      FAIRSHARE_IN_PERSON_PLACES: 'Central Library, weekdays 10am to 4pm',
      FAIRSHARE_IN_PERSON_PLACES_CY: 'Y Llyfrgell Ganolog, dyddiau’r wythnos 10am i 4pm',
      FAIRSHARE_VERIFICATION_RETENTION_DAYS: '30',
    });
    expect(config.contact).toEqual({
      helpLine: '029 2000 0000',
      smsNumber: '07700 900456',
      voiceNumber: '0113 496 0123',
      helpEmail: 'cymorth@example.gov.uk',
      inPersonPlaces: 'Central Library, weekdays 10am to 4pm',
      inPersonPlacesCy: 'Y Llyfrgell Ganolog, dyddiau’r wythnos 10am i 4pm',
    });
    expect(config.verificationRetentionDays).toBe(30);
  });

  it('give Welsh pages the English places when only those are set, rather than another council’s', () => {
    expect(loadConfig({ FAIRSHARE_IN_PERSON_PLACES: 'Central Library' }).contact.inPersonPlacesCy).toBe('Central Library');
  });

  it('refuse a retention period that is not a whole number of days, as the API does', () => {
    for (const bad of ['soon', '-1', '1.5', '70000']) {
      expect(() => loadConfig({ FAIRSHARE_VERIFICATION_RETENTION_DAYS: bad })).toThrow(/whole number of days/);
    }
  });
});

describe('where someone lands after signing in with no page asked for', () => {
  it('is the roles page for an admin, the staff pages for other staff and the account for everyone else', () => {
    expect(homeFor(['ADMIN'])).toBe('/officer/roles');
    expect(homeFor(['OFFICER', 'ADMIN'])).toBe('/officer/roles');
    expect(homeFor(['OFFICER'])).toBe('/officer');
    expect(homeFor(['COUNCILLOR'])).toBe('/officer');
    expect(homeFor([])).toBe('/account');
  });
});

describe('the cookies page', () => {
  it('lists every cookie the web client sets, and the API’s session cookie', () => {
    const names = cookieList(en.info.cookies).map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(Object.values(COOKIES)));
    expect(names).toContain('fairshare_session');
    for (const c of cookieList(cy.info.cookies)) expect(c.purpose && c.expires).toBeTruthy();
  });
});

const client: GraphQLClient = {
  async request(document) {
    const query = document.toString();
    if (query.includes('query StartPage')) return { voting: { nodes: [], pageInfo: { hasNextPage: false, endCursor: null } }, rounds: { nodes: [], pageInfo: { hasNextPage: false, endCursor: null } } } as never;
    if (query.includes('query Me')) return { me: null } as never;
    throw new Error(`unexpected operation: ${query.slice(0, 40)}`);
  },
};

let server: Server;
let base: string;

beforeAll(async () => {
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  const config = {
    ...loadConfig({
      FAIRSHARE_HELP_LINE: '029 2000 0000',
      FAIRSHARE_HELP_EMAIL: 'cymorth@example.gov.uk',
      FAIRSHARE_IN_PERSON_PLACES: 'Central Library',
      FAIRSHARE_IN_PERSON_PLACES_CY: 'Y Llyfrgell Ganolog',
      FAIRSHARE_VERIFICATION_RETENTION_DAYS: '30',
    }),
    secureCookies: false,
  };
  server = createApp({ config, client }).listen(0);
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => {
  server.close();
  vi.restoreAllMocks();
});

describe('the information pages', () => {
  it('are public, in English and Welsh, with the configured details', async () => {
    for (const [path, en, cy] of [
      ['/accessibility', '029 2000 0000', 'Y Llyfrgell Ganolog'],
      ['/privacy', '30 days after', '30 diwrnod ar ôl'],
      ['/cookies', 'fs_lang', 'fs_lang'],
      ['/contact', 'cymorth@example.gov.uk', 'Y Llyfrgell Ganolog'],
      ['/easy-read', 'Call 029 2000 0000.', 'Ffoniwch 029 2000 0000.'],
    ]) {
      const english = await fetch(`${base}${path}`);
      expect(english.status, path).toBe(200);
      expect(english.headers.get('cache-control')).toBe('public, no-cache');
      expect(await english.text()).toContain(en);
      const welsh = await fetch(`${base}${path}?lang=cy`);
      const html = await welsh.text();
      expect(html).toContain('<html lang="cy"');
      expect(html).toContain(cy);
    }
  });

  it('are linked from every page’s footer, with the help line', async () => {
    const html = await (await fetch(`${base}/`)).text();
    const footer = html.slice(html.indexOf('<footer'));
    for (const path of ['/accessibility', '/privacy', '/cookies', '/contact', '/easy-read']) expect(footer).toContain(`href="${path}"`);
    expect(footer).toContain('029 2000 0000');
  });
});

// Reminders in the web client: a resident's answer to "Do you want
// reminders?" and the API's refusals of it, the name and address for
// reminders by post, an officer's form for someone verified in person, when a round takes them, the account page's list, and
// the link in a reminder email (nothing stops until its button is pressed).
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { addApiError } from '../../src/forms/api-error.js';
import {
  addressFieldOf,
  contactPath,
  parsePostalAddress,
  parseReminderChoice,
  parseReminderContact,
  parseStaffReminders,
  remindersApiErrors,
  staffRemindersApiErrors,
  stopLink,
} from '../../src/forms/reminders.js';
import { ApiError, type GraphQLClient } from '../../src/graphql/client.js';
import { cy, en } from '../../src/i18n/index.js';
import { FormErrors } from '../../src/lib/forms.js';
import { accountReminders, postOffered, reminderContact, remindersOffered, remindersOpen } from '../../src/view-models/reminders.js';

const refused = (...errors: { code: string; message: string; field?: string }[]) => new ApiError(errors);
const TOKEN = 'ab12'.repeat(16);

describe('a resident’s answer to “Do you want reminders?”', () => {
  it('takes email, text message or “No, thank you”, and then asks where on a page of its own', () => {
    expect(parseReminderChoice({ channel: 'EMAIL' }, en).choice).toBe('EMAIL');
    expect(parseReminderChoice({ channel: 'NONE' }, cy).choice).toBe('NONE');
    expect(contactPath('7', 'EMAIL')).toBe('/rounds/7/reminders/email');
    expect(contactPath('7', 'TEXT')).toBe('/rounds/7/reminders/text');
  });

  it('needs an answer, in the page’s language', () => {
    expect(parseReminderChoice({}, cy).errors.byField).toEqual({ channel: { text: cy.reminders.errorChoose } });
    const odd = parseReminderChoice({ channel: 'POST' }, en);
    expect(odd.errors.byField).toEqual({ channel: { text: en.reminders.errorChoose } });
    expect(odd.choice).toBeNull();
  });

  it('takes “by post” only where the council sends letters, and asks for the address on a page of its own', () => {
    expect(parseReminderChoice({ channel: 'LETTER' }, en).choice).toBeNull();
    expect(parseReminderChoice({ channel: 'LETTER' }, cy).errors.byField).toEqual({ channel: { text: cy.reminders.errorChoose } });
    expect(parseReminderChoice({ channel: 'LETTER' }, en, ['EMAIL', 'TEXT', 'LETTER']).choice).toBe('LETTER');
    expect(contactPath('7', 'LETTER')).toBe('/rounds/7/reminders/post');
    expect(postOffered(['EMAIL', 'TEXT'])).toBe(false);
    expect(postOffered(['EMAIL', 'TEXT', 'LETTER'])).toBe(true);
  });

  it('takes an address or a number, trimmed, and says what is missing or wrong in the page’s language', () => {
    expect(parseReminderContact({ contact: ' jo@example.org ' }, 'EMAIL', en).contact).toBe('jo@example.org');
    expect(parseReminderContact({ contact: ' 07700 900123 ' }, 'TEXT', cy).contact).toBe('07700 900123');
    expect(parseReminderContact({}, 'EMAIL', cy).errors.byField).toEqual({ contact: { text: cy.reminders.errorEmailEmpty } });
    expect(parseReminderContact({ contact: 'jo at example' }, 'EMAIL', en).errors.byField).toEqual({ contact: { text: en.reminders.errorEmailInvalid } });
    const noNumber = parseReminderContact({ contact: ' ' }, 'TEXT', cy);
    expect(noNumber.errors.byField).toEqual({ contact: { text: cy.reminders.errorPhoneEmpty } });
    expect(noNumber.contact).toBeNull();
  });

  it('puts the API’s refusals beside the address or number, in the resident’s words', () => {
    const badNumber = refused({ code: 'INVALID_INPUT', message: 'enter a UK mobile number, like 07700 900123', field: 'contact' });
    expect(addApiError(new FormErrors(), badNumber, remindersApiErrors(cy, 'TEXT')).list).toEqual([{ text: cy.reminders.errorPhoneInvalid, href: '#contact' }]);
    const badAddress = refused({ code: 'INVALID_INPUT', message: 'not an email address', field: 'contact' });
    expect(addApiError(new FormErrors(), badAddress, remindersApiErrors(en, 'EMAIL')).list).toEqual([{ text: en.reminders.errorEmailInvalid, href: '#contact' }]);
    expect(addApiError(new FormErrors(), refused({ code: 'NOT_VERIFIED', message: 'prove it first' }), remindersApiErrors(cy, 'EMAIL')).byField).toEqual({ contact: { text: cy.reminders.errorNotVerified } });
    expect(addApiError(new FormErrors(), refused({ code: 'PHASE_CLOSED', message: 'closed' }), remindersApiErrors(en, 'TEXT')).byField).toEqual({ contact: { text: en.reminders.errorClosed } });
    expect(addApiError(new FormErrors(), refused({ code: 'SOMETHING_NEW', message: 'the API’s own words' }), remindersApiErrors(cy, 'EMAIL')).byField).toEqual({ contact: { text: cy.api['*'] } });
    for (const code of ['NOT_FOUND', 'INTERNAL']) expect(() => addApiError(new FormErrors(), refused({ code, message: code }), remindersApiErrors(en, 'EMAIL'))).toThrow(ApiError);
  });
});

describe('the name and address for reminders by post', () => {
  const address = { name: ' Nia  Neighbour ', line1: '12 Woodhouse Street', line2: '', town: 'Leeds', postcode: 'ls6 1ab ' };

  it('is the lines given, one a line: the name first and the postcode last, with no empty line', () => {
    const { contact, errors, values } = parsePostalAddress(address, en.reminders);
    expect(errors.any).toBe(false);
    expect(contact).toBe('Nia Neighbour\n12 Woodhouse Street\nLeeds\nls6 1ab');
    expect(values).toEqual({ name: 'Nia Neighbour', line1: '12 Woodhouse Street', line2: '', town: 'Leeds', postcode: 'ls6 1ab' });
    expect(parsePostalAddress({ ...address, line2: 'Hyde Park' }, en.reminders).contact).toBe('Nia Neighbour\n12 Woodhouse Street\nHyde Park\nLeeds\nls6 1ab');
  });

  it('keeps each line one line, whatever was posted', () => {
    expect(parsePostalAddress({ ...address, line1: '12 Woodhouse\nStreet', name: ['Nia', 'Other'] }, en.reminders).contact).toBe('Nia\n12 Woodhouse Street\nLeeds\nls6 1ab');
  });

  it('needs the name, address line 1, the town or city and the postcode, in the page’s language', () => {
    const { errors, contact } = parsePostalAddress({ line2: 'Flat 2' }, cy.reminders);
    expect(contact).toBeNull();
    expect(errors.list).toEqual([
      { text: 'Rhowch eich enw llawn', href: '#name' },
      { text: 'Rhowch linell 1 y cyfeiriad, sef yr adeilad a’r stryd fel arfer', href: '#line1' },
      { text: 'Rhowch eich tref neu ddinas', href: '#town' },
      { text: 'Rhowch eich cod post', href: '#postcode' },
    ]);
    expect(parsePostalAddress({ ...address, postcode: ' ' }, en.reminders).errors.byField).toEqual({ postcode: { text: 'Enter your postcode' } });
  });

  it('takes at most 100 characters a line', () => {
    expect(parsePostalAddress({ ...address, line1: 'a'.repeat(100) }, en.reminders).errors.any).toBe(false);
    const long = parsePostalAddress({ ...address, line1: 'a'.repeat(101), town: 'ŵ'.repeat(101) }, cy.reminders);
    expect(long.errors.byField).toEqual({
      line1: { text: 'Rhaid i linell 1 y cyfeiriad fod yn 100 nod neu lai' },
      town: { text: 'Rhaid i’r dref neu’r ddinas fod yn 100 nod neu lai' },
    });
    expect(long.contact).toBeNull();
  });

  it('shows the API’s refusal beside the postcode when the postcode is wrong, and beside address line 1 otherwise, in the resident’s words', () => {
    const postcode = refused({ code: 'INVALID_INPUT', message: 'the last line of the address, "Leeds", is not a UK postcode', field: 'contact' });
    expect(addressFieldOf(postcode.errors[0]!.message)).toBe('postcode');
    expect(addApiError(new FormErrors(), postcode, remindersApiErrors(cy, 'LETTER', postcode)).list).toEqual([{ text: cy.reminders.errorPostcodeInvalid, href: '#postcode' }]);
    const lines = refused({ code: 'INVALID_INPUT', message: 'write the name, then at least one line of the address, then the postcode', field: 'contact' });
    expect(addressFieldOf(lines.errors[0]!.message)).toBe('line1');
    expect(addApiError(new FormErrors(), lines, remindersApiErrors(en, 'LETTER', lines)).list).toEqual([{ text: en.reminders.errorAddressInvalid, href: '#line1' }]);
    const noPost = refused({ code: 'INVALID_INPUT', message: 'this council does not send reminders by post', field: 'channel' });
    expect(addApiError(new FormErrors(), noPost, remindersApiErrors(cy, 'LETTER', noPost)).list).toEqual([{ text: cy.reminders.errorNoPost, href: '#line1' }]);
    const closed = refused({ code: 'PHASE_CLOSED', message: 'closed' });
    expect(addApiError(new FormErrors(), closed, remindersApiErrors(en, 'LETTER', closed)).byField).toEqual({ line1: { text: en.reminders.errorClosed } });
    expect(() => addApiError(new FormErrors(), refused({ code: 'NOT_FOUND', message: 'no round' }), remindersApiErrors(en, 'LETTER'))).toThrow(ApiError);
  });

  it('is shown as the postcode’s first part, kept on one line, after “by post to the address with the postcode”', () => {
    expect(reminderContact({ channel: 'LETTER', contactHint: 'LS6 1•• (post)' })).toBe('LS6\u00a01••');
    expect(reminderContact({ channel: 'EMAIL', contactHint: 'j•••@example.org' })).toBe('j•••@example.org');
  });
});

describe('an officer’s reminders for someone verified in person', () => {
  it('needs how, where and the language', () => {
    expect(parseStaffReminders({ channel: 'TEXT', contact: ' 07700 900123 ', language: 'CY' }).input).toEqual({ channel: 'TEXT', contact: '07700 900123', language: 'CY' });
    expect(parseStaffReminders({}).errors.list.map((e) => e.href)).toEqual(['#channel', '#contact', '#language']);
    expect(parseStaffReminders({ channel: 'EMAIL', contact: 'nope', language: 'EN' }).errors.byField).toEqual({ contact: { text: 'Enter their email address, like name@example.com' } });
    expect(parseStaffReminders({ channel: 'TEXT', language: 'FR' }).errors.list.map((e) => e.href)).toEqual(['#contact', '#language']);
  });

  it('takes their name and address for reminders by post, and needs each part in the officer’s words', () => {
    const { input, values } = parseStaffReminders({ channel: 'LETTER', contact: 'ignored@example.org', name: 'Rhys Reminders', line1: '3 Kirkstall Road', town: 'Leeds', postcode: 'LS6 1AA', language: 'CY' });
    expect(input).toEqual({ channel: 'LETTER', contact: 'Rhys Reminders\n3 Kirkstall Road\nLeeds\nLS6 1AA', language: 'CY' });
    expect(values).toMatchObject({ name: 'Rhys Reminders', line1: '3 Kirkstall Road', line2: '', town: 'Leeds', postcode: 'LS6 1AA' });
    const missing = parseStaffReminders({ channel: 'LETTER', name: 'Rhys Reminders', language: 'EN' });
    expect(missing.input).toBeNull();
    expect(missing.errors.list).toEqual([
      { text: 'Enter address line 1, typically the building and street', href: '#line1' },
      { text: 'Enter their town or city', href: '#town' },
      { text: 'Enter their postcode', href: '#postcode' },
    ]);
  });

  it('shows the API’s refusal of an address in its own words beside the postcode or address line 1', () => {
    const postcode = refused({ code: 'INVALID_INPUT', message: 'the last line of the address, "Leeds", is not a UK postcode', field: 'contact' });
    expect(addApiError(new FormErrors(), postcode, staffRemindersApiErrors('LETTER', postcode)).list).toEqual([
      { text: 'The last line of the address, "Leeds", is not a UK postcode', href: '#postcode' },
    ]);
    const lines = refused({ code: 'INVALID_INPUT', message: 'an address has at most 5 lines between the name and the postcode', field: 'contact' });
    expect(addApiError(new FormErrors(), lines, staffRemindersApiErrors('LETTER', lines)).byField).toEqual({ line1: { text: 'An address has at most 5 lines between the name and the postcode' } });
    const noPost = refused({ code: 'INVALID_INPUT', message: 'this council does not send reminders by post', field: 'channel' });
    expect(addApiError(new FormErrors(), noPost, staffRemindersApiErrors('LETTER', noPost)).byField).toEqual({ channel: { text: 'This council does not send reminders by post' } });
  });

  it('shows a wrong number beside it, and a wrong letter reference in the API’s words', () => {
    const badNumber = refused({ code: 'INVALID_INPUT', message: 'enter a UK mobile number, like 07700 900123', field: 'contact' });
    expect(addApiError(new FormErrors(), badNumber, staffRemindersApiErrors('TEXT')).list).toEqual([{ text: 'Enter a UK mobile number, like 07700 900123', href: '#contact' }]);
    const notHere = refused({ code: 'INVALID_INPUT', message: 'V99 is not the reference of anyone verified for this round', field: 'verificationId' });
    expect(addApiError(new FormErrors(), notHere, staffRemindersApiErrors('EMAIL')).list).toEqual([{ text: 'V99 is not the reference of anyone verified for this round', href: '#channel' }]);
    expect(() => addApiError(new FormErrors(), refused({ code: 'NOT_AUTHORISED', message: 'officers only' }), staffRemindersApiErrors('EMAIL'))).toThrow(ApiError);
  });
});

describe('a link to stop reminders', () => {
  it('needs its subscription and a whole token', () => {
    expect(stopLink({ s: '12', t: TOKEN })).toEqual({ subscription: '12', token: TOKEN });
    expect(stopLink({ s: '12' })).toBeNull();
    expect(stopLink({ t: TOKEN })).toBeNull();
    expect(stopLink({ s: 'twelve', t: TOKEN })).toBeNull();
    expect(stopLink({ s: '12', t: 'ab12' })).toBeNull();
    expect(stopLink({ s: '12', t: `${TOKEN} x` })).toBeNull();
    expect(stopLink({ s: ['12', '13'], t: TOKEN })).toEqual({ subscription: '12', token: TOKEN });
  });
});

describe('when a round takes reminders', () => {
  const now = new Date('2026-06-01T12:00:00Z');
  it('from bids opening until voting closes', () => {
    expect(remindersOpen({ phase: 'DRAFT' }, now)).toBe(false);
    expect(remindersOpen({ phase: 'BIDS_OPEN' }, now)).toBe(true);
    expect(remindersOpen({ phase: 'VOTING', schedule: { votingClosesAt: '2026-06-02T16:00:00Z' } }, now)).toBe(true);
    expect(remindersOpen({ phase: 'VOTING', schedule: { votingClosesAt: '2026-06-01T11:59:00Z' } }, now)).toBe(false);
    expect(remindersOpen({ phase: 'CLOSED' }, now)).toBe(false);
  });

  it('offers “voting opens” only before it has', () => {
    expect(remindersOffered({ phase: 'BID_REVIEW' })).toEqual(['whenOpens', 'whenClosing', 'whenResults']);
    expect(remindersOffered({ phase: 'VOTING' })).toEqual(['whenClosing', 'whenResults']);
  });

  it('lists the account’s reminders with their rounds, and offers them where they could still be asked for', () => {
    const round = (id: string, phase: 'VOTING' | 'PUBLISHED') => ({ id, phase, schedule: { votingClosesAt: null } });
    const { reminders, offers } = accountReminders(
      [{ roundId: '1', channel: 'EMAIL', contactHint: 'j•••@example.org' }, { roundId: '4', channel: 'TEXT', contactHint: '•••• ••• 123' }],
      [
        { roundId: '1', verified: true, round: round('1', 'VOTING') },
        { roundId: '2', verified: true, round: round('2', 'VOTING') },
        { roundId: '3', verified: false, round: round('3', 'VOTING') },
        { roundId: '5', verified: true, round: round('5', 'PUBLISHED') },
      ],
      now,
    );
    expect(reminders.map((r) => [r.roundId, r.round?.id ?? null])).toEqual([['1', '1'], ['4', null]]);
    expect(offers.map((r) => r.id)).toEqual(['2']);
  });
});

describe('the web server with reminders', () => {
  const resident = { id: '5', displayName: 'Rhian', roles: [], language: 'EN', groups: [] };
  const operations: { name: string; variables: Record<string, unknown>; token?: string }[] = [];
  let channels = ['EMAIL', 'TEXT'];
  const client: GraphQLClient = {
    async request(document, variables, ctx) {
      const name = /(?:query|mutation) (\w+)/.exec(document.toString())?.[1] ?? '';
      const vars = (variables ?? {}) as Record<string, unknown>;
      operations.push({ name, variables: vars, token: ctx.token });
      if (name === 'Me') return { me: ctx.token === 'tok' ? resident : null } as never;
      if (name === 'RemindersRound') {
        return {
          round: { id: '7', title: 'Round 7', titleCy: 'Cylch 7', phase: 'VOTING', phaseChangedAt: null, votingClosedAt: null, schedule: { votingOpensAt: null, votingClosesAt: null } },
          myVerifications: [{ id: '1', roundId: '7', verified: true }],
          myReminders: [],
          reminderChannels: channels,
        } as never;
      }
      if (name === 'ReminderChannels') return { reminderChannels: channels } as never;
      if (name === 'SetReminders') {
        const input = vars.input as { contact: string };
        if (input.contact.startsWith('01')) throw refused({ code: 'INVALID_INPUT', message: 'enter a UK mobile number, like 07700 900123', field: 'contact' });
        if (input.contact.endsWith('\nLeeds')) throw refused({ code: 'INVALID_INPUT', message: 'the last line of the address, "Leeds", is not a UK postcode', field: 'contact' });
        return { setReminders: { roundId: '7', channel: 'TEXT', contactHint: '•••• ••• 123', language: 'CY' } } as never;
      }
      if (name === 'StopRemindersByLink') {
        if (vars.token !== TOKEN) throw refused({ code: 'NOT_FOUND', message: 'this link to stop reminders is not complete' });
        return { stopRemindersByLink: true } as never;
      }
      throw new Error(`unexpected operation: ${name}`);
    },
  };
  let server: Server;
  let base: string;

  beforeAll(async () => {
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    server = createApp({ config: { ...loadConfig({}), secureCookies: false }, client }).listen(0);
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.close();
    vi.restoreAllMocks();
  });
  beforeEach(() => {
    operations.length = 0;
    channels = ['EMAIL', 'TEXT'];
  });

  async function page(path: string, cookie = 'fs_session=tok') {
    const res = await fetch(`${base}${path}`, { headers: { cookie } });
    const html = await res.text();
    const cookies = [...res.headers.getSetCookie().map((c) => c.split(';')[0]), cookie].join('; ');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
    return { res, html, cookies, csrf };
  }
  async function post(path: string, from: { cookies: string; csrf: string }, fields: Record<string, string> = {}) {
    return fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: from.cookies },
      body: new URLSearchParams({ _csrf: from.csrf, ...fields }).toString(),
      redirect: 'manual',
    });
  }

  it('asks in the page’s language, then where, and sends that language, with a refusal in the resident’s words', async () => {
    const question = await page('/rounds/7/reminders', 'fs_session=tok; fs_lang=cy');
    expect(question.res.status).toBe(200);
    expect(question.html).toContain(cy.reminders.title);
    const text = await post('/rounds/7/reminders', question, { channel: 'TEXT' });
    expect(text.status).toBe(303);
    expect(text.headers.get('location')).toBe('/rounds/7/reminders/text');
    const where = await page('/rounds/7/reminders/text', 'fs_session=tok; fs_lang=cy');
    expect(where.html).toContain(cy.reminders.textTitle);
    const bad = await post('/rounds/7/reminders/text', where, { contact: '0113 496 0000' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain(cy.reminders.errorPhoneInvalid);
    const ok = await post('/rounds/7/reminders/text', where, { contact: '07700 900123' });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/rounds/7/reminders/done');
    expect(operations.filter((o) => o.name === 'SetReminders').at(-1)?.variables).toEqual({ input: { roundId: '7', channel: 'TEXT', contact: '07700 900123', language: 'CY' } });
  });

  it('offers post only where the council sends letters, then asks for the name and address, with the API’s refusal beside the postcode', async () => {
    const plain = await page('/rounds/7/reminders');
    expect(plain.html).not.toContain('value="LETTER"');
    expect(plain.html).toContain(en.reminders.privacy);
    expect((await post('/rounds/7/reminders', plain, { channel: 'LETTER' })).status).toBe(400);
    expect((await fetch(`${base}/rounds/7/reminders/post`, { headers: { cookie: 'fs_session=tok' }, redirect: 'manual' })).headers.get('location')).toBe('/rounds/7/reminders');

    channels = ['EMAIL', 'TEXT', 'LETTER'];
    const question = await page('/rounds/7/reminders', 'fs_session=tok; fs_lang=cy');
    expect(question.html).toContain('value="LETTER"');
    expect(question.html).toContain(cy.reminders.letter);
    expect(question.html).toContain(cy.reminders.privacyPost);
    const chosen = await post('/rounds/7/reminders', question, { channel: 'LETTER' });
    expect(chosen.status).toBe(303);
    expect(chosen.headers.get('location')).toBe('/rounds/7/reminders/post');
    const where = await page('/rounds/7/reminders/post', 'fs_session=tok; fs_lang=cy');
    expect(where.res.status).toBe(200);
    expect(where.html).toContain(cy.reminders.letterTitle);
    for (const [id, autocomplete] of [['name', 'name'], ['line1', 'address-line1'], ['line2', 'address-line2'], ['town', 'address-level2'], ['postcode', 'postal-code']]) {
      expect(where.html).toMatch(new RegExp(`id="${id}" name="${id}" type="text"[^>]*autocomplete="${autocomplete}"`));
    }
    const empty = await post('/rounds/7/reminders/post', where, { name: 'Nia Neighbour' });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain(cy.reminders.errorLine1Empty);
    expect(operations.some((o) => o.name === 'SetReminders')).toBe(false);
    const wrong = await post('/rounds/7/reminders/post', where, { name: 'Nia Neighbour', line1: '12 Woodhouse Street', town: 'Hyde Park', postcode: 'Leeds' });
    expect(wrong.status).toBe(400);
    const wrongHtml = await wrong.text();
    expect(wrongHtml).toContain(`<a href="#postcode">${cy.reminders.errorPostcodeInvalid}</a>`);
    expect(wrongHtml).toContain('value="Hyde Park"');
    const ok = await post('/rounds/7/reminders/post', where, { name: 'Nia Neighbour', line1: '12 Woodhouse Street', town: 'Leeds', postcode: 'LS6 1AB' });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/rounds/7/reminders/done');
    expect(operations.filter((o) => o.name === 'SetReminders').at(-1)?.variables).toEqual({
      input: { roundId: '7', channel: 'LETTER', contact: 'Nia Neighbour\n12 Woodhouse Street\nLeeds\nLS6 1AB', language: 'CY' },
    });
  });

  it('stops nothing when the link is opened, only when its button is pressed', async () => {
    const opened = await page(`/reminders/stop?s=12&t=${TOKEN}`, '');
    expect(opened.res.status).toBe(200);
    expect(opened.html).toContain(`name="t" value="${TOKEN}"`);
    expect(operations.some((o) => o.name === 'StopRemindersByLink')).toBe(false);
    const stopped = await post('/reminders/stop', opened, { s: '12', t: TOKEN });
    expect(stopped.status).toBe(303);
    expect(stopped.headers.get('location')).toBe('/reminders/stopped');
    expect(operations.find((o) => o.name === 'StopRemindersByLink')?.variables).toEqual({ subscription: '12', token: TOKEN });
  });

  it('says how to get help for a link cut short or wrong, as not found', async () => {
    const cut = await page('/reminders/stop?s=12', '');
    expect(cut.res.status).toBe(404);
    expect(cut.html).toContain(en.reminders.linkBrokenTitle);
    expect(cut.html).toContain('call the help line on');
    const opened = await page(`/reminders/stop?s=12&t=${'cd34'.repeat(16)}`, '');
    const wrong = await post('/reminders/stop', opened, { s: '12', t: 'cd34'.repeat(16) });
    expect(wrong.status).toBe(404);
    expect(await wrong.text()).toContain(en.reminders.linkBrokenTitle);
  });
});

// What happened to the money: the totals, status words, dates and updates
// as the pages show them, in English and Welsh; the group's update form
// with its photos and the API's refusals of them; the officers' forms
// (pounds to pence, reasons, milestones); photos over the limit marked, not
// kept; and the photos of delivery updates at the site's address, with the
// session of the person asking.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { ApiError, type GraphQLClient } from '../../src/graphql/client.js';
import type { DeliveryFieldsFragment, DeliveryUpdateFieldsFragment } from '../../src/graphql/generated/graphql.js';
import {
  addStaffDeliveryError,
  addUpdateError,
  milestoneDate,
  milestoneRows,
  parseDecision,
  parseMilestones,
  parseSpending,
  parseStatus,
  parseUpdate,
  spendingValues,
  statusValues,
  updateErrorOf,
} from '../../src/forms/delivery.js';
import { boundedMemoryStorage, fileFormFor, PHOTO_LIMIT_BYTES } from '../../src/http/bodies.js';
import { sessionTokenOf } from '../../src/http/proxy.js';
import { cy, en } from '../../src/i18n/index.js';
import { FormErrors } from '../../src/lib/forms.js';
import {
  areaLinks,
  areaParam,
  deliveryView,
  milestoneView,
  paragraphs,
  publicUpdates,
  stateTag,
  statusReason,
  statusTag,
  totalsView,
  updateDate,
  waitingByDelivery,
} from '../../src/view-models/delivery.js';

const update = (u: Partial<DeliveryUpdateFieldsFragment> & { id: string }): DeliveryUpdateFieldsFragment => ({
  body: 'We ordered the planters.',
  state: 'APPROVED',
  reason: null,
  createdAt: '2026-10-01T09:00:00Z',
  decidedAt: '2026-10-02T10:00:00Z',
  photos: [],
  ...u,
});

type WithUpdates = DeliveryFieldsFragment & { updates: DeliveryUpdateFieldsFragment[] };
const delivery = (d: Partial<WithUpdates> = {}): WithUpdates => ({
  id: '5',
  status: 'IN_PROGRESS',
  statusReason: null,
  awardPence: 200000,
  spentPence: 125050,
  overspendReason: null,
  updatedAt: '2026-10-02T10:00:00Z',
  milestones: [
    { title: 'Planters built', targetDate: '2026-06-03', doneDate: '2026-06-01' },
    { title: 'Bulbs planted', targetDate: '2027-03-31', doneDate: null },
  ],
  updates: [],
  ...d,
});

describe('the totals', () => {
  const totals = { funded: 3, delivered: 1, cancelled: 1, promisedPence: 350000, spentPence: 125050 };

  it('say how many funded projects were delivered, and the money spent against the money promised', () => {
    const v = totalsView(totals, en, 'en');
    expect(v.deliveredText).toBe('1 of 3 funded projects delivered');
    expect(v.spentOfPromisedText).toBe('£1,250.50 spent of £3,500 promised');
    expect(v.promisedText).toBe('£3,500');
    expect(v.spentText).toBe('£1,250.50');
    expect(v.cancelledText).toBe('1');
    expect(v.spentWidth).toBe(36);
    expect(totalsView({ ...totals, funded: 1, delivered: 0 }, en, 'en').deliveredText).toBe('0 of 1 funded project delivered');
  });

  it('in Welsh, with the mutation the number of projects needs', () => {
    expect(totalsView(totals, cy, 'cy').deliveredText).toBe('1 o’r 3 phrosiect a gafodd gyllid wedi’u cyflawni');
    expect(totalsView({ ...totals, funded: 2 }, cy, 'cy').deliveredText).toBe('1 o’r 2 brosiect a gafodd gyllid wedi’u cyflawni');
    expect(totalsView({ ...totals, funded: 1 }, cy, 'cy').deliveredText).toBe('1 o’r 1 prosiect a gafodd gyllid wedi’i gyflawni');
    expect(totalsView(totals, cy, 'cy').spentOfPromisedText).toBe('£1,250.50 wedi’i wario o’r £3,500 a addawyd');
  });

  it('draw no bar before any money is promised, and a full one past it', () => {
    expect(totalsView({ ...totals, promisedPence: 0, spentPence: 0 }).spentWidth).toBe(0);
    expect(totalsView({ ...totals, promisedPence: 100, spentPence: 500 }).spentWidth).toBe(100);
  });
});

describe('statuses and states', () => {
  it('are words in both languages with a colour each', () => {
    expect(statusTag('PLANNED', en)).toEqual({ text: 'Planned', colour: 'grey' });
    expect(statusTag('IN_PROGRESS', en)).toEqual({ text: 'In progress', colour: 'blue' });
    expect(statusTag('DELIVERED', en)).toEqual({ text: 'Delivered', colour: 'green' });
    expect(statusTag('DELAYED', cy)).toEqual({ text: 'Wedi’i oedi', colour: 'yellow' });
    expect(statusTag('CANCELLED', cy)).toEqual({ text: 'Wedi’i ganslo', colour: 'red' });
    expect(stateTag('PENDING', en).text).toBe('Waiting for approval');
    expect(stateTag('APPROVED', cy).text).toBe('Cyhoeddus');
    expect(stateTag('REJECTED', en)).toEqual({ text: 'Not approved', colour: 'red' });
  });

  it('show the reason only when delayed or cancelled', () => {
    expect(statusReason({ status: 'DELAYED', statusReason: 'Late bulbs' }, en)).toEqual({ label: 'Why it is delayed', text: 'Late bulbs' });
    expect(statusReason({ status: 'CANCELLED', statusReason: 'No site' }, cy)).toEqual({ label: 'Pam cafodd ei ganslo', text: 'No site' });
    expect(statusReason({ status: 'IN_PROGRESS', statusReason: 'left over' }, en)).toBeNull();
    expect(statusReason({ status: 'DELAYED', statusReason: null }, en)).toBeNull();
  });
});

describe('a delivery', () => {
  it('has its milestones dated as the rest of the site, in each language', () => {
    expect(milestoneView({ title: 'Planters built', targetDate: '2026-06-03', doneDate: '2026-06-01' }, en, 'en')).toEqual({
      title: 'Planters built',
      targetText: '3 June 2026',
      dueText: 'Due by 3 June 2026',
      done: true,
      doneText: 'Done on 1 June 2026',
    });
    const welsh = milestoneView({ title: 'Bulbs', targetDate: '2027-03-31', doneDate: null }, cy, 'cy');
    expect(welsh.dueText).toBe('Erbyn 31 Mawrth 2027');
    expect(welsh.doneText).toBe('Heb ei wneud eto');
    expect(welsh.done).toBe(false);
    // A date in British Summer Time is the same calendar day.
    expect(milestoneView({ title: 'x', targetDate: '2026-07-01' }, en, 'en').targetText).toBe('1 July 2026');
  });

  it('shows its approved updates only, newest first, the latest apart, dated when they were approved', () => {
    const d = deliveryView(
      delivery({
        updates: [
          update({ id: '3', state: 'PENDING', decidedAt: null, createdAt: '2026-11-01T09:00:00Z' }),
          update({ id: '2', body: 'Built.\n\nPlanted too.', decidedAt: '2026-10-20T09:00:00Z' }),
          update({ id: '1', state: 'REJECTED', reason: 'Blurry photo' }),
          update({ id: '0' }),
        ],
      }),
      en,
      'en',
    );
    expect(d.publicUpdates.map((u) => u.id)).toEqual(['2', '0']);
    expect(d.latestUpdate?.id).toBe('2');
    expect(d.latestUpdate?.publishedText).toBe('Published on 20 October 2026');
    expect(d.latestUpdate?.paragraphs).toEqual(['Built.', 'Planted too.']);
    expect(d.awardText).toBe('£2,000');
    expect(d.spentText).toBe('£1,250.50');
    expect(d.overspent).toBe(false);
    expect(d.tag.text).toBe('In progress');
    expect(d.milestoneRows).toHaveLength(2);
    expect(deliveryView(delivery({ updates: [] })).latestUpdate).toBeNull();
    expect(deliveryView(delivery({ spentPence: 200001 })).overspent).toBe(true);
  });

  it('dates an update by its approval once public, by when it was sent before', () => {
    expect(updateDate(update({ id: '1' }))).toBe('2026-10-02T10:00:00Z');
    expect(updateDate(update({ id: '1', state: 'PENDING', decidedAt: null }))).toBe('2026-10-01T09:00:00Z');
    expect(updateDate(update({ id: '1', state: 'REJECTED' }))).toBe('2026-10-01T09:00:00Z');
    expect(publicUpdates([update({ id: '1', state: 'PENDING' })])).toEqual([]);
  });

  it('keeps what a group wrote in its paragraphs', () => {
    expect(paragraphs('One.\r\n\r\nTwo\nlines.\n\n\n')).toEqual(['One.', 'Two\nlines.']);
    expect(paragraphs('   ')).toEqual([]);
  });
});

describe('the area filter', () => {
  const pots = [{ area: { id: '1', name: 'Hyde Park' } }, { area: { id: '2', name: 'Chapel Allerton', nameCy: 'Capel Allerton' } }];

  it('takes one of the round’s areas, or all of them', () => {
    expect(areaParam(undefined, ['1', '2'])).toBeNull();
    expect(areaParam('', ['1', '2'])).toBeNull();
    expect(areaParam('2', ['1', '2'])).toBe('2');
    expect(areaParam('3', ['1', '2'])).toBeUndefined();
    expect(areaParam(['1'], ['1', '2'])).toBeUndefined();
  });

  it('links every area, the one shown marked', () => {
    const links = areaLinks('7', pots, '2');
    expect(links.map((l) => [l.href, l.current])).toEqual([
      ['/rounds/7/delivery', false],
      ['/rounds/7/delivery?area=1', false],
      ['/rounds/7/delivery?area=2', true],
    ]);
    expect(areaLinks('7', pots, null)[0]?.current).toBe(true);
  });

  it('counts the updates waiting, by delivery', () => {
    expect(Object.fromEntries(waitingByDelivery([{ deliveryId: '1' }, { deliveryId: '2' }, { deliveryId: '1' }]))).toEqual({ '1': 2, '2': 1 });
  });
});

const photo = (bytes: string | Buffer, extra: { tooLarge?: boolean } = {}) => {
  const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes);
  return [{ buffer, size: buffer.length, ...extra }];
};

describe('the group’s update form', () => {
  it('needs what happened, at most 2,000 characters', () => {
    expect(parseUpdate({ body: '  ' }, undefined, '5', en).errors.byField.body?.text).toBe('Enter what has happened');
    expect(parseUpdate({ body: 'ŵ'.repeat(2000) }, undefined, '5', en).errors.any).toBe(false);
    expect(parseUpdate({ body: 'x'.repeat(2001) }, undefined, '5', cy).errors.byField.body?.text).toBe('Rhaid i’r hyn sydd wedi digwydd fod yn 2,000 o nodau neu lai');
  });

  it('sends each photo chosen as base64 with its alt text, and says which field each came from', () => {
    const { input, errors, photoSlots, photoSent } = parseUpdate(
      { body: 'Built.', 'alt-1': 'The planters', 'alt-3': 'The bulbs' },
      { 'photo-1': photo('jpeg one'), 'photo-3': photo('jpeg three') },
      '5',
      en,
    );
    expect(errors.any).toBe(false);
    expect(photoSent).toBe(true);
    expect(photoSlots).toEqual([1, 3]);
    expect(input).toEqual({
      deliveryId: '5',
      body: 'Built.',
      photos: [
        { contentBase64: Buffer.from('jpeg one').toString('base64'), altText: 'The planters' },
        { contentBase64: Buffer.from('jpeg three').toString('base64'), altText: 'The bulbs' },
      ],
    });
    expect(parseUpdate({ body: 'No photos.' }, undefined, '5', en).input).toEqual({ deliveryId: '5', body: 'No photos.', photos: [] });
  });

  it('says on its field which photo is too large, empty, or without a description, keeping the text', () => {
    const { values, errors, input } = parseUpdate(
      { body: 'Built.', 'alt-2': 'ab', 'alt-3': 'x'.repeat(301), 'alt-4': 'A photo not chosen' },
      { 'photo-1': photo(Buffer.alloc(0), { tooLarge: true }), 'photo-2': photo(''), 'photo-3': photo('jpeg') },
      '5',
      en,
    );
    expect(input).toBeNull();
    expect(values.body).toBe('Built.');
    expect(values['alt-4']).toBe('A photo not chosen');
    expect(errors.byField['photo-1']?.text).toBe('Photo 1 must be 5 MB or smaller');
    expect(errors.byField['alt-1']?.text).toBe('Describe what photo 1 shows');
    expect(errors.byField['photo-2']?.text).toBe('The selected photo 2 is empty');
    expect(errors.byField['alt-2']?.text).toBe('The description of photo 2 must be at least 3 characters');
    expect(errors.byField['alt-3']?.text).toBe('The description of photo 3 must be 300 characters or fewer');
    expect(errors.byField['photo-4']?.text).toBe('Choose photo 4, or delete its description');
    expect(parseUpdate({ body: 'x' }, { 'photo-1': photo('', { tooLarge: true }) }, '5', cy).errors.byField['photo-1']?.text).toBe('Rhaid i lun 1 fod yn 5 MB neu’n llai');
  });

  it('puts the API’s refusal of a photo beside the field it came from, in the page’s words', () => {
    const slots = [1, 3];
    const refused = (message: string) => ({ code: 'INVALID_INPUT', field: 'photos', message });
    expect(updateErrorOf(refused('photo 2: the file is not a JPEG, PNG or WebP image'), slots, en)).toEqual({ field: 'photo-3', text: 'Photo 3 must be a JPEG, PNG or WebP image' });
    expect(updateErrorOf(refused('photo 1: the image could not be read: it may be damaged, or too large'), slots, cy)).toEqual({
      field: 'photo-1',
      text: 'Nid oedd modd darllen llun 1. Efallai ei fod wedi’i ddifrodi: rhowch gynnig ar ffeil arall',
    });
    expect(updateErrorOf(refused('photo 2: the file is 6.1 MB: a photo can be at most 5 MB'), slots, en).text).toBe('Photo 3 must be 5 MB or smaller');
    expect(updateErrorOf(refused('what photo 2 shows (its alt text) must be 300 characters or fewer'), slots, en)).toEqual({ field: 'alt-3', text: 'The description of photo 3 must be 300 characters or fewer' });
    expect(updateErrorOf(refused('what photo 1 shows (its alt text) must be at least 3 characters'), slots, en).text).toBe('The description of photo 1 must be at least 3 characters');
    expect(updateErrorOf(refused('what photo 1 shows (its alt text) contains characters that cannot be shown'), slots, en).text).toBe('Describe what photo 1 shows');
    expect(updateErrorOf({ code: 'INVALID_INPUT', field: 'body', message: 'the update must be 2000 characters or fewer' }, slots, en)).toEqual({ field: 'body', text: 'What has happened must be 2,000 characters or fewer' });
    expect(updateErrorOf({ code: 'INVALID_INPUT', field: 'body', message: 'the update contains characters that cannot be shown' }, slots, cy).text).toBe(cy.api['*']);
    expect(updateErrorOf(refused('an update can have at most 4 photos'), slots, en)).toEqual({ field: 'photo-1', text: 'Photo 1 could not be used. Try another file' });
    expect(updateErrorOf({ code: 'INVALID_TRANSITION', message: 'this bid’s delivery is cancelled' }, slots, en)).toEqual({ field: 'body', text: 'This project was cancelled, so no more updates can be posted' });
    const errors = addUpdateError(new FormErrors(), new ApiError([refused('photo 1: the file is not a JPEG, PNG or WebP image')]), [2], en);
    expect(errors.list).toEqual([{ text: 'Photo 2 must be a JPEG, PNG or WebP image', href: '#photo-2' }]);
    // Anything else is not the form's to show.
    expect(() => addUpdateError(new FormErrors(), new ApiError([{ code: 'NOT_AUTHORISED', message: 'no' }]), [], en)).toThrow(ApiError);
  });
});

describe('the officers’ forms', () => {
  it('take the money spent in pounds, as pence; more than the award needs a reason', () => {
    expect(parseSpending({ spent: '1,250.50' }, 200000, en).input).toEqual({ spentPence: 125050, reason: null });
    expect(parseSpending({ spent: '£3' }, 200000, en).input).toEqual({ spentPence: 300, reason: null });
    expect(parseSpending({ spent: '0' }, 200000, en).input).toEqual({ spentPence: 0, reason: null });
    expect(parseSpending({ spent: '2000' }, 200000, en).input?.spentPence).toBe(200000);
    for (const typed of ['', 'lots', '-5', '12.345', '1.2.3']) {
      expect(parseSpending({ spent: typed }, 200000, en).errors.byField.spent?.text, typed).toBe('Enter the money spent in pounds, like 1250.50');
    }
    expect(parseSpending({ spent: '2000.01' }, 200000, en).errors.byField.spentReason?.text).toBe('Enter why more than the award was spent');
    expect(parseSpending({ spent: '2500', spentReason: 'Steel went up in price.' }, 200000, en).input).toEqual({ spentPence: 250000, reason: 'Steel went up in price.' });
    expect(spendingValues({ spentPence: 125050, overspendReason: null })).toEqual({ spent: '1250.50', spentReason: '' });
    expect(spendingValues({ spentPence: 300000, overspendReason: 'Dearer' })).toEqual({ spent: '3000', spentReason: 'Dearer' });
  });

  it('take a status, with the reason delayed and cancelled need and nothing else keeps', () => {
    expect(parseStatus({ status: 'DELIVERED', statusReason: 'left over' }, en).input).toEqual({ status: 'DELIVERED', reason: null });
    expect(parseStatus({ status: 'DELAYED' }, en).errors.byField.statusReason?.text).toBe('Enter why the project is delayed');
    expect(parseStatus({ status: 'CANCELLED' }, cy).errors.byField.statusReason?.text).toBe('Rhowch pam cafodd y prosiect ei ganslo');
    expect(parseStatus({ status: 'CANCELLED', statusReason: 'No site.' }, en).input).toEqual({ status: 'CANCELLED', reason: 'No site.' });
    expect(parseStatus({ status: 'DONE' }, en).errors.byField.status?.text).toBe('Select the status');
    expect(statusValues({ status: 'DELAYED', statusReason: 'Late' })).toEqual({ status: 'DELAYED', statusReason: 'Late' });
  });

  it('take milestones row by row: empty rows are none, a row needs what and when, dates typed either way', () => {
    const body = {
      'milestone-1-title': 'Planters built',
      'milestone-1-target': '2026-10-01',
      'milestone-1-done': '28/9/2026',
      'milestone-2-title': '',
      'milestone-2-target': '',
      'milestone-2-done': '',
      'milestone-3-title': 'Bulbs planted',
      'milestone-3-target': '31 3 2027',
      'milestone-3-done': '',
    };
    expect(parseMilestones(body, en).input).toEqual([
      { title: 'Planters built', targetDate: '2026-10-01', doneDate: '2026-09-28' },
      { title: 'Bulbs planted', targetDate: '2027-03-31', doneDate: null },
    ]);
    const wrong = parseMilestones({ ...body, 'milestone-2-title': 'Opening', 'milestone-3-target': '31/2/2027', 'milestone-1-done': 'soon' }, en);
    expect(wrong.input).toBeNull();
    expect(wrong.errors.byField['milestone-2-target']?.text).toBe('Enter the date milestone 2 is due by');
    expect(wrong.errors.byField['milestone-3-target']?.text).toBe('Enter the date milestone 3 is due by');
    expect(wrong.errors.byField['milestone-1-done']?.text).toBe('Enter a real date for when milestone 1 was done');
    expect(wrong.rows[1]).toEqual({ title: 'Opening', target: '', done: '' });
    expect(parseMilestones({ 'milestone-1-target': '2026-10-01' }, en).errors.byField['milestone-1-title']?.text).toBe('Enter what will be done for milestone 1');
    // Every row emptied: no milestones at all.
    expect(parseMilestones({ 'milestone-1-title': '', 'milestone-1-target': '', 'milestone-1-done': '' }, en).input).toEqual([]);
    expect(milestoneDate('2027-02-29')).toBeNull();
    expect(milestoneDate('1.2.2027')).toBe('2027-02-01');
  });

  it('show the milestones there are and two empty rows, never more than twelve', () => {
    const m = { title: 'A', targetDate: '2026-10-01', doneDate: null };
    expect(milestoneRows([m])).toEqual([{ title: 'A', target: '2026-10-01', done: '' }, { title: '', target: '', done: '' }, { title: '', target: '', done: '' }]);
    expect(milestoneRows([])).toHaveLength(2);
    expect(milestoneRows(Array.from({ length: 11 }, () => m))).toHaveLength(12);
    expect(milestoneRows(Array.from({ length: 12 }, () => m))).toHaveLength(12);
  });

  it('approve an update, or not with a reason for the group', () => {
    expect(parseDecision({ decision: 'approve' }, '9', en).input).toEqual({ approve: true, reason: null });
    expect(parseDecision({ decision: 'reject' }, '9', en).errors.byField['reason-9']?.text).toBe('Enter why the update is not approved');
    expect(parseDecision({ decision: 'reject', reason: 'The photo shows a face.' }, '9', en).input).toEqual({ approve: false, reason: 'The photo shows a face.' });
  });

  it('show the API’s refusal beside its field, in its own words, marked English on a Welsh page', () => {
    const e = new ApiError([{ code: 'INVALID_INPUT', field: 'reason', message: 'why more than the award was spent must be at least 10 characters' }]);
    const errors = addStaffDeliveryError(new FormErrors(), e, { spentPence: 'spent', reason: 'spentReason' }, 'spent', cy);
    expect(errors.byField.spentReason).toEqual({
      text: 'Why more than the award was spent must be at least 10 characters',
      html: '<span lang="en">Why more than the award was spent must be at least 10 characters</span>',
    });
    expect(addStaffDeliveryError(new FormErrors(), new ApiError([{ code: 'INVALID_INPUT', message: 'no' }]), {}, 'milestone-1-title', en).list[0]?.href).toBe('#milestone-1-title');
    expect(() => addStaffDeliveryError(new FormErrors(), new ApiError([{ code: 'NOT_AUTHORISED', message: 'no' }]), {}, 'x', en)).toThrow(ApiError);
  });
});

describe('photos in the update form', () => {
  it('are read by the form for /bids/BID/updates: four, 5 MB each, a larger one marked rather than failing the form', () => {
    expect(fileFormFor('/bids/12/updates')).toMatchObject({ field: 'photo-1', more: ['photo-2', 'photo-3', 'photo-4'], limitBytes: 5 * 1024 * 1024 });
    expect(fileFormFor('/bids/12/updates')?.markTooLarge?.formLimitBytes).toBeGreaterThan(4 * PHOTO_LIMIT_BYTES);
    expect(fileFormFor('/bids/12/updates/sent')).toBeUndefined();
  });

  async function store(bytes: number, limit: number) {
    const storage = boundedMemoryStorage(limit);
    const chunks = Array.from({ length: Math.ceil(bytes / 1000) }, (_, i) => Buffer.alloc(Math.min(1000, bytes - i * 1000), 1));
    const file = { stream: Readable.from(chunks) } as unknown as Express.Multer.File;
    return new Promise<Partial<Express.Multer.File> & { tooLarge?: boolean }>((resolve, reject) => {
      storage._handleFile({} as never, file, (err, info) => (err ? reject(err) : resolve(info as never)));
    });
  }

  it('keep a file up to the limit, and only the size of a larger one', async () => {
    const kept = await store(4500, 5000);
    expect(kept.buffer?.length).toBe(4500);
    expect(kept.tooLarge).toBeUndefined();
    expect((await store(5000, 5000)).buffer?.length).toBe(5000);
    const marked = await store(12_000, 5000);
    expect(marked).toMatchObject({ size: 12_000, tooLarge: true });
    expect(marked.buffer?.length).toBe(0);
  });
});

describe('the session for photos', () => {
  it('is this server’s own cookie, read from the Cookie header', () => {
    expect(sessionTokenOf('fs_lang=cy; fs_session=abc%2Bdef; fs_visitor=x')).toBe('abc+def');
    expect(sessionTokenOf('fs_sessionx=1; a=b')).toBeUndefined();
    expect(sessionTokenOf(undefined)).toBeUndefined();
    expect(sessionTokenOf('fs_session=')).toBeUndefined();
  });
});

// The photos at the site's own address: forwarded with the session as a
// bearer token, or, without forwarding, fetched by the web client with it.
const apiSaw: { path: string; headers: IncomingHttpHeaders }[] = [];
let api: Server;
const servers: Server[] = [];
const bases: Record<'forwarding' | 'fetching', string> = { forwarding: '', fetching: '' };
const client: GraphQLClient = {
  async request(document, _variables, ctx) {
    const name = /(?:query|mutation) (\w+)/.exec(document.toString())?.[1] ?? '';
    if (name === 'Me') return { me: ctx.token === 'member-token' ? { id: '3', displayName: 'Mo', language: 'EN', roles: [], groups: [{ id: '4' }] } : null } as never;
    throw new Error(`unexpected operation: ${name}`);
  },
};

async function listen(server: Server): Promise<string> {
  server.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  // A stand-in for the API's photos: photo 1 waits for approval (the group's session only), photo 2 is public.
  api = createServer((req, res) => {
    apiSaw.push({ path: req.url ?? '', headers: req.headers });
    const member = req.headers.authorization === 'Bearer member-token';
    if (req.url === '/delivery/photos/1.jpg' && member) {
      res.writeHead(200, { 'content-type': 'image/jpeg', 'cache-control': 'private, no-store' });
      res.end('waiting');
    } else if (req.url === '/delivery/photos/2.jpg') {
      if (req.headers['if-none-match'] === '"two"') {
        res.writeHead(304, { etag: '"two"', 'cache-control': 'public, max-age=31536000, immutable' });
        res.end();
        return;
      }
      res.writeHead(200, { 'content-type': 'image/jpeg', 'cache-control': 'public, max-age=31536000, immutable', etag: '"two"' });
      res.end('public');
    } else {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"errors":[{"message":"there is no photo at this address","extensions":{"code":"NOT_FOUND"}}]}');
    }
  });
  const apiUrl = await listen(api);
  for (const mode of ['forwarding', 'fetching'] as const) {
    const server = createApp({ config: { ...loadConfig({}), secureCookies: false, forwardApi: mode === 'forwarding', apiUrl }, client }).listen(0);
    await new Promise((r) => server.once('listening', r));
    servers.push(server);
    bases[mode] = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }
});

afterAll(() => {
  for (const s of [api, ...servers]) s.close();
  vi.restoreAllMocks();
});

describe.each(['forwarding', 'fetching'] as const)('photos of delivery updates, %s', (mode) => {
  it('show a photo waiting for approval to its group, with their session, and never keep it', async () => {
    const res = await fetch(`${bases[mode]}/delivery/photos/1.jpg`, { headers: { cookie: 'fs_session=member-token' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    expect(await res.text()).toBe('waiting');
    expect(apiSaw.at(-1)?.headers.authorization).toBe('Bearer member-token');
  });

  it('not to anyone else', async () => {
    expect((await fetch(`${bases[mode]}/delivery/photos/1.jpg`)).status).toBe(404);
    expect(apiSaw.at(-1)?.headers.authorization).toBeUndefined();
  });

  it('show a public photo to anyone, kept for good, and revalidated', async () => {
    const res = await fetch(`${bases[mode]}/delivery/photos/2.jpg`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await res.text()).toBe('public');
    const again = await fetch(`${bases[mode]}/delivery/photos/2.jpg`, { headers: { 'if-none-match': '"two"' } });
    expect(again.status).toBe(304);
  });
});

// Importing population and deprivation figures: the forms' own checks,
// files sent as text or base64, the API's refusal beside the file it is
// about (marked English on a Welsh page), and the two-file form read with
// its limits before the CSRF check.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { ApiError, type GraphQLClient } from '../../src/graphql/client.js';
import { DEPRIVATION_FIELDS, POPULATION_FIELDS, addImportError, csvFile, deprivationFieldOf, parseDeprivationImport, parsePopulationImport } from '../../src/forms/population.js';
import { fileFormFor, type FileForm } from '../../src/http/bodies.js';
import { cy, en } from '../../src/i18n/index.js';
import { FormErrors } from '../../src/lib/forms.js';

const file = (text: string | Buffer) => ({ buffer: Buffer.isBuffer(text) ? text : Buffer.from(text) });
const WRONG = 'nothing was imported: the file has 2 wrong lines: line 5: age 0 is "eight", not a number of people; line 7: the total is not a number of people';

describe('the population form', () => {
  it('asks for the source and a file', () => {
    const { errors, input } = parsePopulationImport({}, undefined, '1', en);
    expect(input).toBeNull();
    expect(errors.list).toEqual([
      { text: 'Say where the figures come from', href: '#source' },
      { text: 'Select a CSV file', href: '#file' },
    ]);
    expect(parsePopulationImport({ source: 'ONS' }, file(''), '1', en).errors.list).toEqual([{ text: 'The selected file is empty', href: '#file' }]);
    expect(parsePopulationImport({ source: 'x'.repeat(201) }, file('a'), '1', cy).errors.list[0]?.text).toBe(cy.population.errors.sourceLong);
  });

  it('sends UTF-8 text as it is, and anything else as base64 for the API to name', () => {
    expect(csvFile(Buffer.from('code,0\nW01,Ynys Môn\n'))).toEqual({ content: 'code,0\nW01,Ynys Môn\n', encoding: 'TEXT' });
    const latin1 = Buffer.from([0x59, 0x6e, 0x79, 0x73, 0x20, 0x4d, 0xf4, 0x6e]);
    expect(csvFile(latin1)).toEqual({ content: latin1.toString('base64'), encoding: 'BASE64' });
    const { input } = parsePopulationImport({ source: '  ONS mid-2022  ' }, file('a,b\n'), '4', en);
    expect(input).toEqual({ areaId: '4', source: 'ONS mid-2022', file: { content: 'a,b\n', encoding: 'TEXT' } });
  });
});

describe('the deprivation form', () => {
  it('asks for both files', () => {
    const { errors, input } = parseDeprivationImport({ source: 'IMD 2019' }, { deciles: file('') }, en);
    expect(input).toBeNull();
    expect(errors.list).toEqual([
      { text: 'Select the postcode look-up file', href: '#postcodes' },
      { text: 'The selected deciles file is empty', href: '#deciles' },
    ]);
    expect(parseDeprivationImport({ source: 'IMD' }, { postcodes: file('p'), deciles: file('d') }, en).input).toEqual({
      source: 'IMD',
      postcodes: { content: 'p', encoding: 'TEXT' },
      deciles: { content: 'd', encoding: 'TEXT' },
    });
  });

  it('puts the API’s refusal beside the file it names, or for one that names none, the file its message is about', () => {
    const about = (message: string, field?: string) => addImportError(new FormErrors(), new ApiError([{ code: 'INVALID_POPULATION_FILE', message, field }]), DEPRIVATION_FIELDS, en).list[0]?.href;
    expect(about('the file is not UTF-8 text', 'deciles')).toBe('#deciles');
    expect(about('the file is not UTF-8 text', 'postcodes')).toBe('#postcodes');
    expect(about('none of the look-up\'s neighbourhoods is in the deciles file', 'deciles')).toBe('#deciles');
    expect(about('the deciles file has no neighbourhoods')).toBe('#deciles');
    expect(about('the deciles file has no neighbourhoods', 'somethingNew')).toBe('#deciles');
    expect(deprivationFieldOf('nothing was imported: the postcode look-up has 1 wrong line: line 4: …')).toBe('postcodes');
    expect(deprivationFieldOf('the deciles file has no neighbourhoods')).toBe('deciles');
    expect(deprivationFieldOf('none of the look-up\'s neighbourhoods is in the deciles file: check…')).toBe('deciles');
    expect(deprivationFieldOf('something else')).toBe('postcodes');
  });
});

describe('the API’s refusal of an import', () => {
  const refused = (code: string, message: string, field?: string) => new ApiError([{ code, message, field }]);

  it('is shown beside the file in the API’s words, which name the wrong lines', () => {
    const errors = addImportError(new FormErrors(), refused('INVALID_POPULATION_FILE', WRONG, 'file'), POPULATION_FIELDS, en);
    expect(errors.list).toEqual([{ text: `N${WRONG.slice(1)}`, href: '#file' }]);
  });

  it('is marked as English on a Welsh page', () => {
    const errors = addImportError(new FormErrors(), refused('INVALID_POPULATION_FILE', WRONG, 'file'), POPULATION_FIELDS, cy);
    expect(errors.list[0]?.html).toBe(`<span lang="en">N${WRONG.slice(1).replaceAll('"', '&quot;')}</span>`);
    expect(errors.byField.file?.html).toContain('line 5: age 0 is &quot;eight&quot;');
  });

  it('puts a refused source beside the source, and a body too large beside the file', () => {
    expect(addImportError(new FormErrors(), refused('INVALID_INPUT', 'say where the figures come from', 'source'), POPULATION_FIELDS, en).list).toEqual([
      { text: 'Say where the figures come from', href: '#source' },
    ]);
    expect(addImportError(new FormErrors(), refused('PAYLOAD_TOO_LARGE', 'the request is too large'), DEPRIVATION_FIELDS, en).list).toEqual([
      { text: en.population.errors.tooLarge, href: '#postcodes' },
    ]);
  });

  it('throws anything else on to the error pages', () => {
    expect(() => addImportError(new FormErrors(), refused('NOT_FOUND', 'no such area'), POPULATION_FIELDS, en)).toThrow(ApiError);
    expect(() => addImportError(new FormErrors(), refused('NOT_AUTHORISED', 'officers only'), POPULATION_FIELDS, en)).toThrow(ApiError);
    expect(() => addImportError(new FormErrors(), new Error('boom'), POPULATION_FIELDS, en)).toThrow('boom');
  });
});

describe('the forms that carry files', () => {
  it('know the population and deprivation forms, with their files and limits', () => {
    expect(fileFormFor('/officer/population/areas/3')).toMatchObject({ field: 'file', limitBytes: 4 * 1024 * 1024 });
    expect(fileFormFor('/officer/population/deprivation')).toMatchObject<Partial<FileForm>>({ field: 'postcodes', more: ['deciles'], limitBytes: 8 * 1024 * 1024 });
    expect(fileFormFor('/officer/population')).toBeUndefined();
    expect(fileFormFor('/officer/population/areas/3/more')).toBeUndefined();
  });
});

// Through the app: a signed-in officer's forms, with a stand-in for the API.
const officer = { id: '9', displayName: 'Olive Officer', language: 'EN', roles: ['OFFICER'], groups: [] };
const sent: { name: string; variables: unknown }[] = [];
const client: GraphQLClient = {
  async request(document, variables, ctx) {
    const name = /(?:query|mutation) (\w+)/.exec(document.toString())?.[1] ?? '';
    if (name === 'Me') return { me: ctx.token === 'tok' ? officer : null } as never;
    if (name === 'AreaPopulation') return { area: { id: '1', name: 'Hyde Park and Woodhouse', nameCy: null, population: null } } as never;
    sent.push({ name, variables });
    if (name === 'ImportPopulation') throw new ApiError([{ code: 'INVALID_POPULATION_FILE', message: WRONG, field: 'file' }]);
    if (name === 'ImportDeprivation') return { importDeprivation: { source: 'IMD', importedAt: '2026-12-07T20:00:00Z', postcodes: 2, neighbourhoods: 1, postcodesWithoutDecile: 0 } } as never;
    throw new Error(`unexpected operation: ${name}`);
  },
};

let web: Server;
let base: string;

beforeAll(async () => {
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  web = createApp({ config: { ...loadConfig({}), secureCookies: false }, client }).listen(0);
  await new Promise((r) => web.once('listening', r));
  base = `http://127.0.0.1:${(web.address() as AddressInfo).port}`;
});

afterAll(() => {
  web.close();
  vi.restoreAllMocks();
});

/** A signed-in officer's cookies and the form's token. */
async function formOn(path: string) {
  const res = await fetch(`${base}${path}`, { headers: { cookie: 'fs_session=tok' } });
  expect(res.status).toBe(200);
  const html = await res.text();
  const cookies = [...res.headers.getSetCookie().map((c) => c.split(';')[0]), 'fs_session=tok'].join('; ');
  return { cookies, token: /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '', html };
}

describe('the import pages', () => {
  it('send both deprivation files to the API as text, then go back to the figures', async () => {
    const { cookies, token } = await formOn('/officer/population/deprivation');
    const form = new FormData();
    form.append('_csrf', token);
    form.append('source', 'ONS look-up, IMD 2019');
    form.append('postcodes', new Blob(['pcds,lsoa21cd\nLS6 1AB,E01011354\n'], { type: 'text/csv' }), 'postcodes.csv');
    form.append('deciles', new Blob(['LSOA code (2011),IMD Decile\nE01011354,3\n'], { type: 'text/csv' }), 'imd.csv');
    const res = await fetch(`${base}/officer/population/deprivation`, { method: 'POST', headers: { cookie: cookies }, body: form, redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/officer/population');
    expect(sent.at(-1)).toEqual({
      name: 'ImportDeprivation',
      variables: {
        input: {
          source: 'ONS look-up, IMD 2019',
          postcodes: { content: 'pcds,lsoa21cd\nLS6 1AB,E01011354\n', encoding: 'TEXT' },
          deciles: { content: 'LSOA code (2011),IMD Decile\nE01011354,3\n', encoding: 'TEXT' },
        },
      },
    });
  });

  it('show the API’s refusal in the error summary, linked to the file', async () => {
    const { cookies, token, html } = await formOn('/officer/population/areas/1');
    expect(html).toContain('enctype="multipart/form-data"');
    const form = new FormData();
    form.append('_csrf', token);
    form.append('source', 'ONS mid-2022');
    form.append('file', new Blob(['bad'], { type: 'text/csv' }), 'bad.csv');
    const res = await fetch(`${base}/officer/population/areas/1`, { method: 'POST', headers: { cookie: cookies }, body: form });
    expect(res.status).toBe(400);
    const page = await res.text();
    expect(page).toContain('<a href="#file">Nothing was imported: the file has 2 wrong lines: line 5:');
    expect(page).toContain('value="ONS mid-2022"');
  });

  it('refuse a population file over 4 MB before it reaches the API', async () => {
    const { cookies, token } = await formOn('/officer/population/areas/1');
    const before = sent.length;
    const form = new FormData();
    form.append('_csrf', token);
    form.append('source', 'ONS');
    form.append('file', new Blob(['a'.repeat(4 * 1024 * 1024 + 1)], { type: 'text/csv' }), 'big.csv');
    const res = await fetch(`${base}/officer/population/areas/1`, { method: 'POST', headers: { cookie: cookies }, body: form });
    expect(res.status).toBe(413);
    expect(sent.length).toBe(before);
  });
});

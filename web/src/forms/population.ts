// The population and deprivation imports (staff, in the page's language):
// an area's ONS mid-year estimates as a CSV file with where the figures come
// from, and the postcode look-up with the deciles file. The files are read
// by http/bodies.ts; the API reads them and refuses a file with any wrong
// line whole, naming the lines: its message is shown beside the file, in
// its own words (English, marked so on a Welsh page).
import type { CsvFile } from '../graphql/generated/graphql.js';
import { en, type Dictionary } from '../i18n/index.js';
import { FormErrors, str } from '../lib/forms.js';
import { refusal } from './api-error.js';

/** The longest "where the figures come from" the API keeps. */
export const SOURCE_MAX = 200;

/** An uploaded file, as the multipart reader leaves it. */
export interface Upload {
  buffer: Buffer;
}

/**
 * A file for the API: UTF-8 text as it is (smaller than base64, and the
 * API reads it alike); anything else as base64, so that the API says it is
 * not UTF-8 text rather than reading it wrongly.
 */
export function csvFile(buffer: Buffer): CsvFile {
  try {
    return { content: new TextDecoder('utf-8', { fatal: true }).decode(buffer), encoding: 'TEXT' };
  } catch {
    return { content: buffer.toString('base64'), encoding: 'BASE64' };
  }
}

function checkSource(source: string, errors: FormErrors, t: Dictionary) {
  const e = t.population.errors;
  if (!source) errors.add('source', e.sourceEmpty);
  else if ([...source].length > SOURCE_MAX) errors.add('source', e.sourceLong);
}

/** An area's population file and its source, for importPopulation. */
export function parsePopulationImport(body: unknown, file: Upload | undefined, areaId: string, t: Dictionary = en) {
  const values = { source: str(body, 'source') };
  const errors = new FormErrors();
  const e = t.population.errors;
  checkSource(values.source, errors, t);
  if (!file) errors.add('file', e.fileMissing);
  else if (file.buffer.length === 0) errors.add('file', e.fileEmpty);
  const input = !errors.any && file ? { areaId, source: values.source, file: csvFile(file.buffer) } : null;
  return { values, errors, input };
}

/** The postcode look-up, the deciles file and their source, for importDeprivation. */
export function parseDeprivationImport(body: unknown, files: { postcodes?: Upload | undefined; deciles?: Upload | undefined }, t: Dictionary = en) {
  const values = { source: str(body, 'source') };
  const errors = new FormErrors();
  const e = t.population.errors;
  checkSource(values.source, errors, t);
  if (!files.postcodes) errors.add('postcodes', e.postcodesMissing);
  else if (files.postcodes.buffer.length === 0) errors.add('postcodes', e.postcodesEmpty);
  if (!files.deciles) errors.add('deciles', e.decilesMissing);
  else if (files.deciles.buffer.length === 0) errors.add('deciles', e.decilesEmpty);
  const input =
    !errors.any && files.postcodes && files.deciles
      ? { source: values.source, postcodes: csvFile(files.postcodes.buffer), deciles: csvFile(files.deciles.buffer) }
      : null;
  return { values, errors, input };
}

/** The API's words with a capital letter, as an error message starts. */
function sentence(message: string): string {
  return message.charAt(0).toUpperCase() + message.slice(1);
}

/**
 * Which file of the deprivation form the API's refusal is about: its
 * message names "the postcode look-up" or "the deciles file" (the API
 * gives a file's refusal no field).
 */
export function deprivationFieldOf(message: string): 'postcodes' | 'deciles' {
  return /deciles file/i.test(message) && !/postcode look-up/i.test(message) ? 'deciles' : 'postcodes';
}

/**
 * Adds the API's refusal of an import to the form's errors: about the
 * source beside it, a wrong file beside the file (`fileField`), in the
 * API's own words, which name the wrong lines. Anything else (the area not
 * found, not allowed) goes on to the error pages.
 */
export function addImportError(errors: FormErrors, e: unknown, fileField: (message: string) => string, t: Dictionary = en): FormErrors {
  const err = refusal(e, { only: ['INVALID_INPUT', 'INVALID_POPULATION_FILE', 'PAYLOAD_TOO_LARGE'] });
  const lang = t.lang === 'en' ? undefined : 'en';
  const items = err.errors.length ? err.errors : [{ code: err.code, message: err.message }];
  for (const item of items) {
    const code = item.code || err.code;
    if (code === 'PAYLOAD_TOO_LARGE') {
      errors.add(fileField(''), t.population.errors.tooLarge);
    } else if (code === 'INVALID_INPUT' && 'field' in item && item.field === 'source') {
      errors.add('source', sentence(item.message), lang);
    } else {
      errors.add(fileField(item.message), sentence(item.message || code), lang);
    }
  }
  return errors;
}

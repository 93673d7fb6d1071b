// The population and deprivation imports (staff, in the page's language):
// an area's ONS mid-year estimates as a CSV file with where the figures come
// from, and the postcode look-up with the deciles file. The files are read
// by http/bodies.ts; the API reads them and refuses a file with any wrong
// line whole, naming the lines and the field it is about: its message is
// shown beside that file, in its own words (English, marked so on a Welsh
// page).
import type { ApiErrorItem } from '../graphql/client.js';
import type { CsvFile } from '../graphql/generated/graphql.js';
import { en, type Dictionary } from '../i18n/index.js';
import { FormErrors, str } from '../lib/forms.js';
import { refusal, sentence } from './api-error.js';

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

/**
 * Where an import's refusal goes, as ApiErrorMapping's `field` and
 * `fieldOf`: beside the field the API names (the source, or one of the
 * files, by the same names as the form's), or when it names none of the
 * form's, beside the file its message is about.
 */
export interface ImportFields {
  /** The form's field for a field the API names, or undefined when the form has none of that name. */
  fieldOf: (apiField: string) => string | undefined;
  /** The file a refusal that names no field is about, from its message ('' for a body too large). */
  field: (message: string) => string;
}

/** The fields of a form, each the API's field of the same name. */
const named =
  (...fields: string[]) =>
  (apiField: string): string | undefined =>
    fields.includes(apiField) ? apiField : undefined;

/**
 * Which file of the deprivation form a refusal that names no field is
 * about: its message names "the postcode look-up" or "the deciles file".
 */
export function deprivationFieldOf(message: string): 'postcodes' | 'deciles' {
  return /deciles file/i.test(message) && !/postcode look-up/i.test(message) ? 'deciles' : 'postcodes';
}

/** An area's population: the source and the file ("file"). */
export const POPULATION_FIELDS: ImportFields = { fieldOf: named('source', 'file'), field: () => 'file' };

/** The deprivation look-up: the source and its two files ("postcodes" and "deciles"). */
export const DEPRIVATION_FIELDS: ImportFields = { fieldOf: named('source', 'postcodes', 'deciles'), field: deprivationFieldOf };

/**
 * Adds the API's refusal of an import to the form's errors, in the API's
 * own words (which name the wrong lines), beside the field it names: the
 * source, or the file it is about (see ImportFields). A body too large
 * goes beside the first file, in the page's language. Anything else (the
 * area not found, not allowed) goes on to the error pages.
 */
export function addImportError(errors: FormErrors, e: unknown, fields: ImportFields, t: Dictionary = en): FormErrors {
  const err = refusal(e, { only: ['INVALID_INPUT', 'INVALID_POPULATION_FILE', 'PAYLOAD_TOO_LARGE'] });
  const lang = t.lang === 'en' ? undefined : 'en';
  const items: ApiErrorItem[] = err.errors.length ? err.errors : [{ code: err.code, message: err.message }];
  for (const item of items) {
    const code = item.code || err.code;
    if (code === 'PAYLOAD_TOO_LARGE') {
      errors.add(fields.field(''), t.population.errors.tooLarge);
      continue;
    }
    const field = (item.field ? fields.fieldOf(item.field) : undefined) ?? fields.field(item.message);
    errors.add(field, sentence(item.message || code), lang);
  }
  return errors;
}

// Form bodies, read before the CSRF check so that every form's token is
// checked in one place whatever the form's encoding. Forms come urlencoded,
// or as multipart when they carry a file; both are read with limits, into
// memory, and nothing else is read at all (a body of any other type stays
// unread, so its request has no token and is refused).
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import multer from 'multer';

/** The largest form without a file, in either encoding. */
export const FORM_LIMIT_BYTES = 200 * 1024;
/** The largest file a form may carry (a council's register as CSV, a pabulib file to count). */
export const FILE_LIMIT_BYTES = 4 * 1024 * 1024;
/**
 * The largest names-and-addresses file for voting-code letters: 1,000
 * people with six long address lines each fit well inside it (the API
 * reads no more: MAX_ADDRESSES_BYTES).
 */
export const ADDRESSES_LIMIT_BYTES = 1024 * 1024;
/** Fields in one form, at most: a ballot has one or two per bid. */
const FIELD_LIMIT = 1000;

/**
 * The largest of each deprivation file (the postcode look-up and the
 * deciles), as the API reads them (MAX_LOOKUP_BYTES).
 */
export const LOOKUP_LIMIT_BYTES = 8 * 1024 * 1024;

/** A form that carries a file: the field it comes in and the largest it may be. */
export interface FileForm {
  path: RegExp;
  field: string;
  /** More file fields, for a form with several files (in `req.files`, by field). */
  more?: readonly string[];
  /** The largest of each file. */
  limitBytes: number;
}

/**
 * The forms that carry a file. Every other multipart form may hold text
 * fields only.
 */
export const FILE_FORMS: FileForm[] = [
  { path: /^\/officer\/rounds\/[^/]+\/register\/?$/, field: 'file', limitBytes: FILE_LIMIT_BYTES },
  { path: /^\/officer\/simulator\/?$/, field: 'pbFile', limitBytes: FILE_LIMIT_BYTES },
  { path: /^\/officer\/rounds\/[^/]+\/letters\/?$/, field: 'addresses', limitBytes: ADDRESSES_LIMIT_BYTES },
  { path: /^\/officer\/population\/areas\/[^/]+\/?$/, field: 'file', limitBytes: FILE_LIMIT_BYTES },
  { path: /^\/officer\/population\/deprivation\/?$/, field: 'postcodes', more: ['deciles'], limitBytes: LOOKUP_LIMIT_BYTES },
];

/** Every file field of a form. */
function fileFields(form: FileForm): string[] {
  return [form.field, ...(form.more ?? [])];
}

/** The form that may carry a file on this path, if any. */
export function fileFormFor(pathname: string): FileForm | undefined {
  return FILE_FORMS.find((f) => f.path.test(pathname));
}

/** An error with the HTTP status the error page answers with. */
export class BodyError extends Error {
  readonly status: number;
  readonly type: string;
  constructor(status: number, type: string, message: string) {
    super(message);
    this.name = 'BodyError';
    this.status = status;
    this.type = type;
  }
}

/** A multipart reader, into memory, for up to `files` files of at most `fileSize` bytes each. */
function uploads(fileSize: number, files = 1) {
  return multer({
    storage: multer.memoryStorage(),
    limits: { fileSize, files, fields: FIELD_LIMIT, fieldSize: FORM_LIMIT_BYTES, parts: FIELD_LIMIT + files },
  });
}
const withFile = new Map<FileForm, RequestHandler>();
const textOnly = uploads(FILE_LIMIT_BYTES).none();

function multipart(req: Request, res: Response, next: NextFunction) {
  if (!req.is('multipart/form-data')) {
    next();
    return;
  }
  const form = fileFormFor(req.path);
  // The whole body is bounded before a byte is read: browsers always say
  // how long a form is.
  const max = FORM_LIMIT_BYTES + (form ? form.limitBytes * fileFields(form).length : 0);
  const length = req.get('content-length');
  if (length === undefined) {
    next(new BodyError(411, 'length.required', 'a form sent as multipart must give its length'));
    return;
  }
  if (!/^\d+$/.test(length) || Number(length) > max) {
    next(new BodyError(413, 'entity.too.large', 'the form is too large'));
    return;
  }
  if (!form) {
    textOnly(req, res, next);
    return;
  }
  let handler = withFile.get(form);
  if (!handler) {
    const fields = fileFields(form);
    handler = fields.length === 1 ? uploads(form.limitBytes).single(form.field) : uploads(form.limitBytes, fields.length).fields(fields.map((name) => ({ name, maxCount: 1 })));
    withFile.set(form, handler);
  }
  handler(req, res, next);
}

/** The middleware that reads form bodies: urlencoded and multipart, with their limits. */
export function formBodies(): RequestHandler[] {
  return [express.urlencoded({ extended: false, limit: FORM_LIMIT_BYTES, parameterLimit: FIELD_LIMIT }), multipart];
}

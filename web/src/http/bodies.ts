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

/**
 * The largest photo of a delivery update, as the API takes it
 * (service::delivery::photo::MAX_PHOTO_BYTES).
 */
export const PHOTO_LIMIT_BYTES = 5 * 1024 * 1024;
/** Photos one delivery update may carry (MAX_PHOTOS). */
export const PHOTOS_PER_UPDATE = 4;
/**
 * The largest delivery update form: photos straight off a phone are often
 * larger than a photo may be, and are read to their end (not kept) so the
 * page can say which one is too large and keep everything else typed.
 */
export const UPDATE_FORM_LIMIT_BYTES = 100 * 1024 * 1024;

/** A form that carries a file: the field it comes in and the largest it may be. */
export interface FileForm {
  path: RegExp;
  field: string;
  /** More file fields, for a form with several files (in `req.files`, by field). */
  more?: readonly string[];
  /** The largest of each file. */
  limitBytes: number;
  /**
   * A file over `limitBytes` does not fail the whole form: it is read to
   * its end without being kept and arrives marked `tooLarge: true`, with an
   * empty `buffer` and the `size` that was sent, so that the route shows the
   * error beside its field with the rest of the form kept. The whole form
   * may then be as large as `formLimitBytes`.
   */
  markTooLarge?: { formLimitBytes: number };
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
  // A delivery update's photos, each beside its alt text (routes/groups/delivery.ts).
  {
    path: /^\/bids\/[^/]+\/updates\/?$/,
    field: 'photo-1',
    more: Array.from({ length: PHOTOS_PER_UPDATE - 1 }, (_, i) => `photo-${i + 2}`),
    limitBytes: PHOTO_LIMIT_BYTES,
    markTooLarge: { formLimitBytes: UPDATE_FORM_LIMIT_BYTES },
  },
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

/**
 * Multer's memory storage, but a file past `limitBytes` is read to its end
 * without being kept and handed on marked `tooLarge`, rather than failing
 * the whole form (whose other fields would then be lost).
 */
export function boundedMemoryStorage(limitBytes: number): multer.StorageEngine {
  return {
    _handleFile(_req, file, cb) {
      const chunks: Buffer[] = [];
      let size = 0;
      file.stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= limitBytes) chunks.push(chunk);
        else chunks.length = 0;
      });
      file.stream.on('error', (err) => cb(err));
      file.stream.on('end', () => {
        const tooLarge = size > limitBytes;
        cb(null, { buffer: tooLarge ? Buffer.alloc(0) : Buffer.concat(chunks), size, ...(tooLarge ? { tooLarge } : {}) } as Partial<Express.Multer.File>);
      });
    },
    _removeFile(_req, file, cb) {
      (file as Partial<Express.Multer.File>).buffer = undefined;
      cb(null);
    },
  };
}

/** A multipart reader, into memory, for up to `files` files of at most `fileSize` bytes each. */
function uploads(fileSize: number, files = 1, markTooLarge?: FileForm['markTooLarge']) {
  return multer({
    storage: markTooLarge ? boundedMemoryStorage(fileSize) : multer.memoryStorage(),
    limits: { fileSize: markTooLarge ? markTooLarge.formLimitBytes : fileSize, files, fields: FIELD_LIMIT, fieldSize: FORM_LIMIT_BYTES, parts: FIELD_LIMIT + files },
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
  const max = form?.markTooLarge ? form.markTooLarge.formLimitBytes : FORM_LIMIT_BYTES + (form ? form.limitBytes * fileFields(form).length : 0);
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
    handler =
      fields.length === 1
        ? uploads(form.limitBytes, 1, form.markTooLarge).single(form.field)
        : uploads(form.limitBytes, fields.length, form.markTooLarge).fields(fields.map((name) => ({ name, maxCount: 1 })));
    withFile.set(form, handler);
  }
  handler(req, res, next);
}

/** The middleware that reads form bodies: urlencoded and multipart, with their limits. */
export function formBodies(): RequestHandler[] {
  return [express.urlencoded({ extended: false, limit: FORM_LIMIT_BYTES, parameterLimit: FIELD_LIMIT }), multipart];
}

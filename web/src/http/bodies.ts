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
/** Fields in one form, at most: a ballot has one or two per bid. */
const FIELD_LIMIT = 1000;

/**
 * The forms that carry a file, and the field it comes in. Every other
 * multipart form may hold text fields only.
 */
export const FILE_FORMS: { path: RegExp; field: string }[] = [
  { path: /^\/officer\/rounds\/[^/]+\/register\/?$/, field: 'file' },
  { path: /^\/officer\/simulator\/?$/, field: 'pbFile' },
];

/** The field a file may come in on this path, if any. */
export function fileFieldFor(pathname: string): string | undefined {
  return FILE_FORMS.find((f) => f.path.test(pathname))?.field;
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

const uploads = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: FILE_LIMIT_BYTES, files: 1, fields: FIELD_LIMIT, fieldSize: FORM_LIMIT_BYTES, parts: FIELD_LIMIT + 1 },
});
const withFile = new Map<string, RequestHandler>();
const textOnly = uploads.none();

function multipart(req: Request, res: Response, next: NextFunction) {
  if (!req.is('multipart/form-data')) {
    next();
    return;
  }
  const field = fileFieldFor(req.path);
  // The whole body is bounded before a byte is read: browsers always say
  // how long a form is.
  const max = FORM_LIMIT_BYTES + (field ? FILE_LIMIT_BYTES : 0);
  const length = req.get('content-length');
  if (length === undefined) {
    next(new BodyError(411, 'length.required', 'a form sent as multipart must give its length'));
    return;
  }
  if (!/^\d+$/.test(length) || Number(length) > max) {
    next(new BodyError(413, 'entity.too.large', 'the form is too large'));
    return;
  }
  if (!field) {
    textOnly(req, res, next);
    return;
  }
  let handler = withFile.get(field);
  if (!handler) {
    handler = uploads.single(field);
    withFile.set(field, handler);
  }
  handler(req, res, next);
}

/** The middleware that reads form bodies: urlencoded and multipart, with their limits. */
export function formBodies(): RequestHandler[] {
  return [express.urlencoded({ extended: false, limit: FORM_LIMIT_BYTES, parameterLimit: FIELD_LIMIT }), multipart];
}

// The error pages: not found, not allowed, an expired form, a body too
// large or unreadable, and anything else (logged, never shown).
import type { ErrorRequestHandler, NextFunction, Request, RequestHandler, Response } from 'express';
import multer from 'multer';
import type { Config } from '../config.js';
import { ApiError } from '../graphql/client.js';
import { dictionaries, type Dictionary } from '../i18n/index.js';
import { logger } from '../lib/log.js';
import { noStore } from './cache.js';
import { setPageLocals } from './locals.js';

/** The multipart limits a body can go past: each means it was too large. */
const TOO_LARGE_MULTIPART = new Set(['LIMIT_PART_COUNT', 'LIMIT_FILE_SIZE', 'LIMIT_FILE_COUNT', 'LIMIT_FIELD_KEY', 'LIMIT_FIELD_VALUE', 'LIMIT_FIELD_COUNT']);

/**
 * The status for an error reading the request's body, or undefined when
 * the error is not about the body: 413 when it was too large, otherwise the
 * 4xx that body-parser or the multipart reader gave it.
 */
export function bodyErrorStatus(err: unknown): number | undefined {
  if (err instanceof multer.MulterError) return TOO_LARGE_MULTIPART.has(err.code) ? 413 : 400;
  const e = err as { status?: unknown; type?: unknown } | null;
  if (typeof e?.type !== 'string' || typeof e.status !== 'number') return undefined;
  if (e.status < 400 || e.status >= 500) return undefined;
  return e.type === 'entity.too.large' || e.type === 'parameters.too.many' ? 413 : e.status;
}

/** What an error page says for an error, and with which status; undefined for an unexpected error. */
export function errorPage(err: unknown, t: Dictionary): { status: number; title: string; text: string } | undefined {
  if (err instanceof ApiError) {
    if (err.code === 'NOT_FOUND') return { status: 404, title: t.errors.notFoundTitle, text: t.errors.notFoundText };
    if (err.code === 'NOT_AUTHORISED') return { status: 403, title: t.errors.notAllowedTitle, text: t.errors.notAllowedText };
    return undefined;
  }
  if ((err as { code?: string } | null)?.code === 'EBADCSRFTOKEN') return { status: 403, title: t.errors.csrfTitle, text: t.errors.csrfText };
  const status = bodyErrorStatus(err);
  if (status === 413) return { status, title: t.errors.tooLargeTitle, text: t.errors.tooLargeText };
  if (status !== undefined) return { status, title: t.errors.badRequestTitle, text: t.errors.badRequestText };
  return undefined;
}

/** The last two handlers: the page not found, then every error. */
export function errorHandlers(config: Config): [RequestHandler, ErrorRequestHandler] {
  const notFound: RequestHandler = (req, res) => {
    res.status(404).render('pages/error', { title: res.locals.t.errors.notFoundTitle, text: res.locals.t.errors.notFoundText });
  };

  const onError: ErrorRequestHandler = (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    // The route may have called its page public before it failed: an error page never is.
    noStore(res);
    // An error before the page's values were set (a body that could not be read, an expired form).
    if (!res.locals.t) setPageLocals(req, res, config);
    const t: Dictionary = res.locals.t ?? dictionaries.en;
    if (err instanceof ApiError && err.code === 'UNAUTHENTICATED') {
      res.redirect(`/sign-in?next=${encodeURIComponent(req.originalUrl)}`);
      return;
    }
    const page = errorPage(err, t);
    if (page) {
      if (page.status === 413 || page.status === 400) {
        logger.warn('request refused', { route: req.route?.path ?? 'unmatched', method: req.method, status: page.status });
      }
      res.status(page.status).render('pages/error', { title: page.title, text: page.text });
      return;
    }
    // The API's codes and our stack only: never the request body or the query string.
    logger.error('request failed', {
      route: req.route?.path ?? 'unmatched',
      method: req.method,
      code: err instanceof ApiError ? err.code : undefined,
      error: err instanceof ApiError ? undefined : err instanceof Error ? err.stack : String(err),
    });
    res.status(500).render('pages/error', { title: t.errors.serverTitle, text: t.errors.serverText });
  };
  return [notFound, onError];
}

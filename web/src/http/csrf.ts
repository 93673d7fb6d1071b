// CSRF protection: csrf-csrf's double-submit cookie, tied to this browser by
// a random visitor id in a cookie of its own. Both cookies are made only
// when a page shows a form: its template calls csrfToken(). A page without a
// form sets no cookie, so shared caches can keep it (http/cache.ts).
import { randomUUID } from 'node:crypto';
import type { CookieOptions, Request, RequestHandler, Response } from 'express';
import { doubleCsrf } from 'csrf-csrf';
import { noStore } from './cache.js';
import { COOKIES } from './request.js';

/** This browser's visitor id, made and remembered now if it has none. */
function visitorId(req: Request, res: Response, cookieBase: CookieOptions): string {
  const id = req.cookies?.[COOKIES.visitor];
  if (typeof id === 'string' && id) return id;
  const made = randomUUID();
  req.cookies[COOKIES.visitor] = made;
  res.cookie(COOKIES.visitor, made, cookieBase);
  return made;
}

export function csrf(secret: string, cookieBase: CookieOptions) {
  const { doubleCsrfProtection, generateCsrfToken } = doubleCsrf({
    getSecret: () => secret,
    // No visitor id, no valid token: a token is only ever made with one.
    getSessionIdentifier: (req) => String(req.cookies?.[COOKIES.visitor] ?? ''),
    cookieName: COOKIES.csrf,
    cookieOptions: { ...cookieBase, sameSite: 'strict' },
    getCsrfTokenFromRequest: (req) => (req.body as Record<string, string> | undefined)?._csrf,
  });

  /**
   * `csrfToken` for the templates: a function, so that the cookies are made
   * only by a page that shows a form, once however many forms it has. Such
   * a page is this browser's own: never kept by a shared cache.
   */
  const formToken: RequestHandler = (req, res, next) => {
    let token: string | undefined;
    res.locals.csrfToken = () => {
      if (token === undefined) {
        visitorId(req, res, cookieBase);
        token = generateCsrfToken(req, res);
        noStore(res);
      }
      return token;
    };
    next();
  };

  /** Every POST, PUT, PATCH and DELETE needs the form's token, whatever the body's type: a body this server does not read has no token. */
  return { protect: doubleCsrfProtection, formToken };
}

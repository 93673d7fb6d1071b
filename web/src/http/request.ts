// What a route handler needs from a request: who is signed in, the API
// client and its context, the cookies' names, and the role checks. Shared by
// app.ts, which sets these values up, and every route module.
import type { CookieOptions, NextFunction, Request, Response } from 'express';
import type { GraphQLClient, RequestContext } from '../graphql/client.js';
import type { MeQuery } from '../graphql/generated/graphql.js';
import type { Lang } from '../i18n/index.js';

export const COOKIES = {
  session: 'fs_session',
  visitor: 'fs_visitor',
  lang: 'fs_lang',
  csrf: 'fs_csrf',
  /** A success message to show once, after a redirect: lib/flash.ts. */
  flash: 'fs_flash',
} as const;

export type Me = NonNullable<MeQuery['me']>;

declare module 'express-serve-static-core' {
  interface Request {
    api: GraphQLClient;
    /** The API session token from this server's own cookie. */
    token: string | undefined;
    me: Me | null;
    lang: Lang;
  }
}

/** The options every cookie of ours has: HttpOnly, SameSite=Lax, Secure unless configured otherwise. */
export function cookieOptions(secure: boolean): CookieOptions & { sameSite: 'lax' } {
  return { httpOnly: true, secure, sameSite: 'lax', path: '/' };
}

/** The context for an API call on behalf of this request. */
export function ctx(req: Request): RequestContext {
  return { token: req.token, clientIp: req.ip };
}

/** A request that another site started (a link or form from elsewhere). */
export function crossSite(req: Request): boolean {
  return req.get('sec-fetch-site') === 'cross-site';
}

function signInFirst(req: Request, res: Response) {
  res.redirect(`/sign-in?next=${encodeURIComponent(req.originalUrl)}`);
}

function notAllowed(res: Response) {
  const t = res.locals.t;
  res.status(403).render('pages/error', { title: t.errors.notAllowedTitle, text: t.errors.notAllowedText });
}

/** Requires a signed-in person, or sends them to sign in and back. */
export function requireSignIn(req: Request, res: Response, next: NextFunction) {
  if (!req.me) return signInFirst(req, res);
  next();
}

/** Requires council staff: an officer, councillor or admin. The API checks each action's own role. */
export function requireOfficer(req: Request, res: Response, next: NextFunction) {
  if (!req.me) return signInFirst(req, res);
  if (req.me.roles.length === 0) return notAllowed(res);
  next();
}

/** Requires a councillor or an admin. */
export function requireCouncillor(req: Request, res: Response, next: NextFunction) {
  if (!req.me) return signInFirst(req, res);
  if (!req.me.roles.includes('COUNCILLOR') && !req.me.roles.includes('ADMIN')) return notAllowed(res);
  next();
}

/** Requires an admin. */
export function requireAdmin(req: Request, res: Response, next: NextFunction) {
  if (!req.me) return signInFirst(req, res);
  if (!req.me.roles.includes('ADMIN')) return notAllowed(res);
  next();
}

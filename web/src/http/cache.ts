// How long browsers and shared caches (a CDN, a proxy) may keep a page: the
// whole policy is here.
//
// Every response is `private, no-store` unless its route says the page is
// public, and a public page stays `private, no-store` whenever it shows or
// sets anything about one person:
//
// - PERSONAL, `private, no-store`: redirects, errors, every form (its CSRF
//   token is this browser's: http/csrf.ts), anything signed in or carrying a
//   success message, anything but GET and HEAD, and any response that sets a
//   cookie, which a shared cache would hand on to everyone after.
// - REVALIDATE, `public, no-cache`: a public page without personal state
//   (the start page, a round, its bids, a bid). Caches may keep it but ask
//   again every time; the ETag (a hash of the page, from Express) makes the
//   answer a 304 without a body when nothing changed. No max-age: a round
//   moves on by phases and a bid's status changes on review, and people
//   should see that at once.
// - PUBLISHED, `public, max-age=60, must-revalidate`: a published result,
//   which is final but for a correction. A minute's delay before a
//   correction shows is acceptable; after it, caches revalidate (ETag and
//   Last-Modified, the newest publication time). Never `immutable`: even a
//   page for one version (?version=N) says whether a newer one exists.
//   What happened to a published round's money (its delivery page and
//   Atom feed, routes/delivery.ts) is kept the same minute, then
//   revalidated with the ETag of the page as rendered (no Last-Modified:
//   it changes whenever the council records progress).
//
// Public pages say `Vary: Cookie`: the language cookie (fs_lang) changes the
// page, and a session cookie would make it personal. Not Accept-Language:
// the language comes only from ?lang=, in the address, or that cookie.
import type { Request, RequestHandler, Response } from 'express';
import { COOKIES } from './request.js';

export const PERSONAL = 'private, no-store';
export const REVALIDATE = 'public, no-cache';
export const PUBLISHED = 'public, max-age=60, must-revalidate';

/** What a route says about its page: public to anyone, or a published result. */
export type PageKind = 'public' | 'published';

/** The request's cookies whose presence makes any page personal: who is signed in, and a success message to show. */
const PERSONAL_COOKIES: readonly string[] = [COOKIES.session, COOKIES.flash];

/** What decides whether a response is personal. */
export interface ResponseState {
  method: string;
  /** The names of the cookies the request came with. */
  cookies: readonly string[];
  signedIn: boolean;
  /** The response sets a cookie. */
  setsCookie: boolean;
}

/** A response that belongs to one person, or would hand on something of theirs. */
export function isPersonal(state: ResponseState): boolean {
  if (state.method !== 'GET' && state.method !== 'HEAD') return true;
  if (state.signedIn || state.setsCookie) return true;
  return state.cookies.some((name) => PERSONAL_COOKIES.includes(name));
}

/** The Cache-Control for a page: `kind` is what its route says, undefined when it says nothing. */
export function cacheControl(kind: PageKind | undefined, personal: boolean): string {
  if (personal || kind === undefined) return PERSONAL;
  return kind === 'published' ? PUBLISHED : REVALIDATE;
}

/** A Cache-Control that lets a shared cache keep the response. */
export function sharedCacheable(value: unknown): boolean {
  const directives = String(value ?? '')
    .toLowerCase()
    .split(',')
    .map((d) => d.trim());
  return directives.includes('public') && !directives.includes('private') && !directives.includes('no-store');
}

/**
 * The validator of a published result's page, made without rendering it: the
 * page is a function of the round, the version asked for, the language, the
 * newest publication (a correction changes it) and this build's templates.
 */
export function publishedPageEtag(parts: { page: string; version: number | null; lang: string; lastModified: Date; build: string }): string {
  const version = parts.version === null ? 'latest' : `v${parts.version}`;
  return `W/"${parts.page}-${version}-${parts.lang}-${parts.lastModified.getTime()}-${parts.build}"`;
}

/** When a result last changed: its newest publication, a correction included; undefined before any. */
export function lastPublished(versions: readonly { publishedAt?: string | null }[]): Date | undefined {
  const times = versions.map((v) => (v.publishedAt ? Date.parse(v.publishedAt) : NaN)).filter((t) => Number.isFinite(t));
  if (times.length === 0) return undefined;
  return new Date(Math.max(...times));
}

function setsCookie(res: Response): boolean {
  return res.getHeader('set-cookie') !== undefined;
}

/** Makes this response `private, no-store`, whatever its route said. */
export function noStore(res: Response) {
  res.set('Cache-Control', PERSONAL);
}

/**
 * Every response starts `private, no-store`. Whatever happens later, a
 * response that sets a cookie leaves as `private, no-store` too: checked as
 * its headers are written, after the page was rendered.
 */
export function cacheDefaults(): RequestHandler {
  return (_req, res, next) => {
    noStore(res);
    const writeHead = res.writeHead;
    res.writeHead = function (this: Response, ...args: unknown[]) {
      if (setsCookie(res) && sharedCacheable(res.getHeader('cache-control'))) noStore(res);
      return (writeHead as (...a: unknown[]) => Response).apply(this, args);
    } as typeof res.writeHead;
    next();
  };
}

/**
 * Called by a route for a page anyone may see, before it renders: the page
 * may be cached (see the top of this file) unless this request is personal.
 * A form's token asked for while rendering makes it personal again.
 */
export function publicPage(req: Request, res: Response, kind: PageKind, lastModified?: Date) {
  const personal = isPersonal({
    method: req.method,
    cookies: Object.keys(req.cookies ?? {}),
    signedIn: Boolean(req.me),
    setsCookie: setsCookie(res),
  });
  res.set('Cache-Control', cacheControl(kind, personal));
  if (personal) return;
  res.vary('Cookie');
  if (lastModified) res.set('Last-Modified', lastModified.toUTCString());
}

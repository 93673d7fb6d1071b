// The demo's one address: with FAIRSHARE_WEB_FORWARD_API=true, /graphql,
// /health, the published result files, the photos of delivery updates, the
// council's signing key and the phone gateway's webhooks go
// on to the API untouched, before any body is read, so that bodies stream
// through (the gateway's signatures cover them byte for byte).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { createProxyMiddleware } from 'http-proxy-middleware';
import { logger } from '../lib/log.js';
import { SIGNING_KEY_PATH } from '../view-models/checkpoint.js';
import { COOKIES } from './request.js';

/**
 * A published result's files on the API: /rounds/ROUND/results/vN/FILE,
 * and /rounds/ROUND/results/latest/FILE (the latest version with the
 * round's log as it stands, delivery entries included); nothing else under
 * /rounds.
 */
const RESULT_FILE = /^\/rounds\/\d+\/results\/(v\d+|latest)\/[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** A photo of a delivery update on the API: /delivery/photos/ID.jpg (or .png). */
export const DELIVERY_PHOTO = /^\/delivery\/photos\/[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * The paths the web client forwards to the API when FAIRSHARE_WEB_FORWARD_API
 * is on: GraphQL, the health check, the result files, the photos of
 * delivery updates, the council's public key for close checkpoints and the
 * phone gateway's webhooks (whose signed bodies must pass untouched). The
 * web's own /rounds/ROUND/results and /rounds/ROUND/delivery pages are not
 * among them.
 */
export function forwardsToApi(pathname: string): boolean {
  return (
    pathname.startsWith('/graphql') ||
    pathname.startsWith('/health') ||
    pathname.startsWith('/phone/') ||
    pathname === SIGNING_KEY_PATH ||
    RESULT_FILE.test(pathname) ||
    DELIVERY_PHOTO.test(pathname)
  );
}

/** This server's session cookie (the API token) in a Cookie header, if there is one. */
export function sessionTokenOf(cookieHeader: string | undefined): string | undefined {
  for (const part of (cookieHeader ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== COOKIES.session) continue;
    const raw = part.slice(eq + 1).trim();
    try {
      return decodeURIComponent(raw) || undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** The most the API reads of a request's body from anyone (api/src/http.rs, MAX_BODY_BYTES). */
export const API_BODY_LIMIT_BYTES = 64 * 1024;
/** The most it reads from a signed-in officer, for a register file (MAX_OFFICER_BODY_BYTES). */
export const API_OFFICER_BODY_LIMIT_BYTES = 8 * 1024 * 1024;

/** A body in the API's own error shape, so GraphQL clients read it as they read the API's. */
function apiError(res: ServerResponse, status: number, code: string, message: string) {
  const body = JSON.stringify({ errors: [{ message, extensions: { code } }] });
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
  res.end(body);
}

const TOO_LARGE = `the request is too large: the API reads at most ${API_BODY_LIMIT_BYTES / 1024} KiB, or ${API_OFFICER_BODY_LIMIT_BYTES / 1024 / 1024} MiB from a signed-in officer`;

/** How much of each forwarded request's body has come in, and the request to the API it streams into. */
interface Streaming {
  bytes: number;
  upstream?: { destroy(): void };
}
const bodies = new WeakMap<IncomingMessage, Streaming>();

function declaredLength(req: IncomingMessage): number {
  const n = Number(req.headers['content-length'] ?? 0);
  return Number.isFinite(n) ? n : 0;
}

/** Refuses at once a body larger than the API would ever read. */
function bodyLimit(req: Request, res: Response, next: NextFunction) {
  if (declaredLength(req) > API_OFFICER_BODY_LIMIT_BYTES) {
    apiError(res, 413, 'PAYLOAD_TOO_LARGE', TOO_LARGE);
    return;
  }
  next();
}

/**
 * Counts a body's bytes as they stream through (from the proxy's start,
 * just before it pipes the body on, so no chunk is missed) and cuts off a
 * chunked body past the same limit.
 */
function countBody(req: IncomingMessage) {
  const seen: Streaming = { bytes: 0 };
  bodies.set(req, seen);
  req.on('data', (chunk: Buffer) => {
    seen.bytes += chunk.length;
    if (seen.bytes > API_OFFICER_BODY_LIMIT_BYTES) seen.upstream?.destroy();
  });
}

/**
 * The proxy's failures. The API stops reading a body past its limit and
 * answers 413, but its answer can be lost when it closes the connection
 * while the rest of the body is still being sent: a request whose body
 * went past what the API reads from anyone, cut off, was too large.
 */
function onProxyError(err: Error & { code?: string }, req: IncomingMessage, res: ServerResponse | import('node:net').Socket) {
  if (!('writeHead' in res)) {
    res.destroy();
    return;
  }
  // The rest of the body goes nowhere now: read and drop it, so the answer
  // below reaches a client that is still sending.
  req.unpipe();
  req.resume();
  if (res.headersSent) {
    res.end();
    return;
  }
  const bytes = Math.max(declaredLength(req), bodies.get(req)?.bytes ?? 0);
  if (bytes > API_BODY_LIMIT_BYTES) {
    apiError(res, 413, 'PAYLOAD_TOO_LARGE', TOO_LARGE);
    return;
  }
  logger.error('forwarding to the API failed', { code: err.code ?? err.name });
  apiError(res, 502, 'BAD_GATEWAY', 'the service cannot reach its API; please try again later');
}

/** The middleware that forwards the API's paths to it. */
export function apiProxy(apiUrl: string): RequestHandler[] {
  const forward = createProxyMiddleware<Request, Response>({
    target: apiUrl,
    changeOrigin: false,
    pathFilter: (pathname) => forwardsToApi(pathname),
    xfwd: true,
    on: {
      start: (req) => countBody(req),
      proxyReq: (proxyReq, req) => {
        // A photo of an update not yet approved is for the bid's group and
        // staff only: the API knows them by the session this server keeps
        // in its own cookie, sent on as the bearer token the web's GraphQL
        // calls carry (the API reads no cookie of ours).
        const token = DELIVERY_PHOTO.test(new URL(req.url ?? '/', 'http://x').pathname) ? sessionTokenOf(req.headers.cookie) : undefined;
        if (token && !proxyReq.getHeader('authorization')) proxyReq.setHeader('authorization', `Bearer ${token}`);
        const seen = bodies.get(req);
        if (!seen) return;
        seen.upstream = proxyReq;
        if (seen.bytes > API_OFFICER_BODY_LIMIT_BYTES) proxyReq.destroy();
      },
      error: onProxyError,
    },
  });
  const limit: RequestHandler = (req, res, next) => (forwardsToApi(req.path) ? bodyLimit(req, res, next) : next());
  return [limit, forward];
}

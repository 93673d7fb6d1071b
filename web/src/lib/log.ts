// Logs one JSON line per event. Written by hand because it is twenty lines:
// the point is what it leaves out. Requests are logged by method, route
// pattern, status and time only: never query strings, bodies or cookies,
// which can hold email addresses, codes, postcodes and phone numbers.
import type { NextFunction, Request, Response } from 'express';

type Fields = Record<string, string | number | boolean | undefined>;

function write(level: 'info' | 'warn' | 'error', msg: string, fields: Fields) {
  if (process.env.FAIRSHARE_WEB_QUIET === 'true' && level === 'info') return;
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields })}\n`);
}

export const logger = {
  info: (msg: string, fields: Fields = {}) => write('info', msg, fields),
  warn: (msg: string, fields: Fields = {}) => write('warn', msg, fields),
  error: (msg: string, fields: Fields = {}) => write('error', msg, fields),
};

export function requestLog(req: Request, res: Response, next: NextFunction) {
  const start = process.hrtime.bigint();
  res.on('finish', () => {
    if (req.path.startsWith('/assets/')) return;
    // The matched route pattern (`/bids/:id`), never the path someone typed.
    const route = req.route ? String(req.route.path) : 'unmatched';
    logger.info('request', {
      method: req.method,
      route,
      status: res.statusCode,
      ms: Math.round(Number(process.hrtime.bigint() - start) / 1e6),
    });
  });
  next();
}

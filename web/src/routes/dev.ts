// Development only: the latest email and text messages and letters the API
// wrote to its folders, so that a demo user can read a sign-in code (or see
// what went by post) without opening the folder by hand. Never mounted in
// production (see app.ts and config.ts).
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Router } from 'express';
import type { Config } from '../config.js';

export interface DevMessage {
  kind: 'email' | 'text' | 'letter';
  at: string;
  to: string;
  subject: string;
  body: string;
  /** A finished letter (a voting-code letter, as a PDF): only its file's name is shown. */
  file?: string;
}

/** Decodes an RFC 2047 encoded-word subject such as `=?utf-8?b?…?=`. */
function decodeHeader(v: string): string {
  return v.replace(/=\?([^?]+)\?([bBqQ])\?([^?]*)\?=/g, (_m, _cs: string, enc: string, text: string) =>
    enc.toUpperCase() === 'B'
      ? Buffer.from(text, 'base64').toString('utf8')
      : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8'),
  );
}

export function parseEml(raw: string): { to: string; subject: string; body: string } {
  const split = raw.indexOf('\r\n\r\n') >= 0 ? raw.indexOf('\r\n\r\n') : raw.indexOf('\n\n');
  const head = raw.slice(0, split).replace(/\r?\n[ \t]+/g, ' ');
  let body = raw.slice(split).trim();
  const header = (name: string) => head.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name}:`))?.slice(name.length + 1).trim() ?? '';
  if (/quoted-printable/i.test(header('content-transfer-encoding'))) {
    body = Buffer.from(body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8');
  } else if (/base64/i.test(header('content-transfer-encoding'))) {
    body = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  }
  return { to: decodeHeader(header('to')), subject: decodeHeader(header('subject')), body };
}

/**
 * A letter the API wrote instead of posting it: the address (one line a
 * line), a blank line, the subject, a blank line, then the body.
 */
export function parseLetterText(raw: string): { to: string; subject: string; body: string } {
  const [address = '', subject = '', ...body] = raw.replace(/\r\n/g, '\n').split(/\n\n/);
  return { to: address.split('\n').map((l) => l.trim()).filter(Boolean).join(', '), subject: subject.trim(), body: body.join('\n\n').trim() };
}

export async function latestMessages(config: Pick<Config, 'devMailDir' | 'devSmsDir' | 'devLetterDir'>, limit = 20): Promise<DevMessage[]> {
  const out: DevMessage[] = [];
  const read = async (dir: string | undefined, kind: DevMessage['kind']) => {
    if (!dir) return;
    const names = await readdir(dir).catch(() => [] as string[]);
    const shown = (n: string) => n.endsWith('.eml') || n.endsWith('.txt') || (kind === 'letter' && n.endsWith('.pdf'));
    for (const name of names.filter(shown).sort().reverse().slice(0, limit)) {
      const at = name.slice(0, 19);
      if (name.endsWith('.pdf')) {
        out.push({ kind, at, to: '', subject: '', body: '', file: name });
        continue;
      }
      const raw = await readFile(path.join(dir, name), 'utf8');
      if (kind === 'email') out.push({ kind, at, ...parseEml(raw) });
      else if (kind === 'letter') out.push({ kind, at, ...parseLetterText(raw) });
      else {
        const [first = '', ...rest] = raw.split('\n');
        out.push({ kind, at, to: first.replace(/^To:\s*/, ''), subject: '', body: rest.join('\n').trim() });
      }
    }
  };
  await read(config.devMailDir, 'email');
  await read(config.devSmsDir, 'text');
  await read(config.devLetterDir, 'letter');
  return out.sort((a, b) => b.at.localeCompare(a.at)).slice(0, limit);
}

export function devRoutes(config: Config) {
  const r = Router();
  r.get('/dev/messages', async (req, res) => {
    const messages = await latestMessages(config);
    res.render('pages/dev-messages', { pageTitle: 'Messages sent', messages, mainLang: 'en', columnClass: 'govuk-grid-column-full' });
  });
  return r;
}

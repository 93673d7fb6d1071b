// Starts the real API (`fairshare demo` on a fresh SQLite file) and the
// built web server, waits until both answer, and stops both afterwards.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, openSync, rmSync } from 'node:fs';
import path from 'node:path';
import { API_BIN, API_PORT, API_URL, LETTER_DIR, MAIL_DIR, RUN_DIR, SMS_DIR, WEB_PORT, WEB_ROOT, WEB_URL } from './env.js';

async function waitFor(url: string, child: ChildProcess, name: string) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}; see ${RUN_DIR}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${name} did not answer at ${url} within 60 s`);
}

export default async function globalSetup() {
  if (!existsSync(API_BIN)) throw new Error(`no API binary at ${API_BIN}: run cargo build -p api --bin fairshare, or set FAIRSHARE_BIN`);
  if (!existsSync(path.join(WEB_ROOT, 'dist/server.js'))) throw new Error('the web client is not built: run npm run build');
  rmSync(RUN_DIR, { recursive: true, force: true });
  mkdirSync(RUN_DIR, { recursive: true });

  const api = spawn(API_BIN, ['demo'], {
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: `sqlite://${path.join(RUN_DIR, 'fairshare.db')}`,
      FAIRSHARE_ADDR: `127.0.0.1:${API_PORT}`,
      FAIRSHARE_MAIL_DIR: MAIL_DIR,
      FAIRSHARE_SMS_DIR: SMS_DIR,
      FAIRSHARE_LETTER_DIR: LETTER_DIR,
      // Each test sends its own X-Forwarded-For, so the API's per-connection
      // rate limits see one client per test, as they would see real people.
      FAIRSHARE_TRUSTED_PROXY_HOPS: '1',
      RUST_LOG: 'warn',
    },
    stdio: ['ignore', openSync(path.join(RUN_DIR, 'api.log'), 'a'), openSync(path.join(RUN_DIR, 'api.log'), 'a')],
  });
  await waitFor(`${API_URL}/health`, api, 'the API');

  const web = spawn(process.execPath, ['dist/server.js'], {
    cwd: WEB_ROOT,
    env: {
      PATH: process.env.PATH,
      FAIRSHARE_WEB_PORT: String(WEB_PORT),
      FAIRSHARE_API_URL: API_URL,
      FAIRSHARE_WEB_FORWARD_API: 'true',
      FAIRSHARE_DEMO: 'true',
      FAIRSHARE_MAIL_DIR: MAIL_DIR,
      FAIRSHARE_SMS_DIR: SMS_DIR,
      FAIRSHARE_LETTER_DIR: LETTER_DIR,
    },
    stdio: ['ignore', openSync(path.join(RUN_DIR, 'web.log'), 'a'), openSync(path.join(RUN_DIR, 'web.log'), 'a')],
  });
  await waitFor(`${WEB_URL}/health`, web, 'the web server');

  return async () => {
    web.kill('SIGTERM');
    api.kill('SIGTERM');
  };
}

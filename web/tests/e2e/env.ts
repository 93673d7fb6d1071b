// Where the browser tests run their servers and keep their files.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const WEB_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const RUN_DIR = path.join(WEB_ROOT, 'artefacts/run');
export const SCREENSHOT_DIR = path.join(WEB_ROOT, 'artefacts/screenshots');
export const MAIL_DIR = path.join(RUN_DIR, 'mail');
export const SMS_DIR = path.join(RUN_DIR, 'sms');
/** Where the API writes letters instead of posting them (never a folder inside web/). */
export const LETTER_DIR = path.join(RUN_DIR, 'letters');
export const API_PORT = Number(process.env.FAIRSHARE_E2E_API_PORT ?? 18081);
export const WEB_PORT = Number(process.env.FAIRSHARE_E2E_WEB_PORT ?? 18080);
export const API_URL = `http://127.0.0.1:${API_PORT}`;
export const WEB_URL = `http://127.0.0.1:${WEB_PORT}`;
/** The API binary: the workspace's debug build unless FAIRSHARE_BIN says otherwise. */
export const API_BIN = process.env.FAIRSHARE_BIN ?? path.resolve(WEB_ROOT, '../target/debug/fairshare');

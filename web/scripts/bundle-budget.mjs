// The JavaScript budget: at most 50 KB, gzipped, on any resident page.
// Every page loads app.js and the chunks it imports; ballot pages add
// vote.js and its chunks. Prints each page kind's total and fails over budget.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const BUDGET = 50 * 1024;
const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../public/build');
const files = new Set(readdirSync(dir).filter((f) => f.endsWith('.js')));

/** An entry and every chunk it imports, found in the built code itself. */
function closure(entry, seen = new Set()) {
  if (seen.has(entry) || !files.has(entry)) return seen;
  seen.add(entry);
  const code = readFileSync(path.join(dir, entry), 'utf8');
  for (const m of code.matchAll(/(?:from|import)\s*\(?\s*["']\.\/([^"']+\.js)["']/g)) closure(m[1], seen);
  return seen;
}

const gz = (f) => gzipSync(readFileSync(path.join(dir, f)), { level: 9 }).length;
const pages = { 'every page': ['app.js'], 'ballot pages': ['app.js', 'vote.js'] };
let failed = false;
for (const [page, entries] of Object.entries(pages)) {
  const all = new Set();
  for (const e of entries) closure(e, all);
  const total = [...all].reduce((sum, f) => sum + gz(f), 0);
  const over = total > BUDGET;
  failed ||= over;
  console.log(`${over ? 'OVER' : 'ok  '} ${page}: ${(total / 1024).toFixed(1)} KB of JavaScript gzipped (${[...all].join(', ')}); budget ${BUDGET / 1024} KB`);
}
if (failed) process.exit(1);

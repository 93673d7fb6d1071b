// What this build of the web client is: a hash of its compiled code and its
// templates, the same on every instance that runs the same build. A page's
// validator that is made without rendering it (see routes/results.ts)
// includes it, so a new release never answers 304 for a page it would now
// render differently.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

function files(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir).sort();
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? files(full) : [full];
  });
}

function buildId(): string {
  const hash = createHash('sha256');
  // The compiled code when running a build, the sources under tsx.
  const code = files(path.join(ROOT, 'dist'));
  for (const file of [...(code.length > 0 ? code : files(path.join(ROOT, 'src'))), ...files(path.join(ROOT, 'views'))]) {
    hash.update(path.relative(ROOT, file));
    hash.update(readFileSync(file));
  }
  return hash.digest('hex').slice(0, 12);
}

export const BUILD_ID = buildId();

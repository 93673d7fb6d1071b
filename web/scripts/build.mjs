// Builds the browser assets into public/build: the stylesheet (GOV.UK
// Frontend's Sass with the council's colour) and the JavaScript bundles.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as sass from 'sass';
import * as esbuild from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'public/build');
await mkdir(out, { recursive: true });

const brand = process.env.FAIRSHARE_BRAND_COLOUR ?? '#00625e';
if (!/^#[0-9a-fA-F]{6}$/.test(brand)) throw new Error('FAIRSHARE_BRAND_COLOUR must be a colour like #00625e');

const css = sass.compile(path.join(root, 'src/scss/app.scss'), {
  style: 'compressed',
  loadPaths: [path.join(root, 'node_modules')],
  importers: [
    {
      // `@use "brand"` is the council's colour, given at build time.
      canonicalize: (url) => (url === 'brand' ? new URL('brand:colour') : null),
      load: () => ({ contents: `$colour: ${brand};`, syntax: 'scss' }),
    },
  ],
  quietDeps: true,
  silenceDeprecations: ['import'],
});
await writeFile(path.join(out, 'app.css'), css.css);

await esbuild.build({
  entryPoints: { app: path.join(root, 'src/client/main.ts'), vote: path.join(root, 'src/client/vote.ts') },
  outdir: out,
  bundle: true,
  format: 'esm',
  splitting: true,
  minify: true,
  sourcemap: true,
  target: ['es2020'],
  logLevel: 'warning',
});
console.log(`built public/build (brand colour ${brand})`);

// Bundles the operator dashboard (preact + uPlot, TSX) into dist/dashboard/: index.html plus
// content-hashed assets, so the gateway can cache assets forever and index.html not at all.
// No CDN: everything the page loads comes from this folder (it works offline).
import { build } from 'esbuild';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const outDir = process.argv[2] ?? join(here, '..', '..', 'dist', 'dashboard');
const assetsDir = join(outDir, 'assets');

await rm(outDir, { recursive: true, force: true });
await mkdir(assetsDir, { recursive: true });
const result = await build({
  entryPoints: { app: join(here, 'src', 'main.tsx'), styles: join(here, 'src', 'styles.css') },
  bundle: true,
  minify: true,
  sourcemap: false,
  format: 'esm',
  target: 'es2022',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  entryNames: '[name]-[hash]',
  outdir: assetsDir,
  metafile: true,
  logLevel: 'warning',
});
const outputs = Object.keys(result.metafile.outputs).map((path) => basename(path));
const script = outputs.find((name) => name.startsWith('app-') && name.endsWith('.js'));
const style = outputs.find((name) => name.startsWith('styles-') && name.endsWith('.css'));
if (!script || !style) throw new Error(`esbuild wrote ${outputs.join(', ')}: expected app-*.js and styles-*.css`);
const template = await readFile(join(here, 'index.html'), 'utf8');
const html = template.replace('%SCRIPT%', `/admin/dashboard/assets/${script}`).replace('%STYLE%', `/admin/dashboard/assets/${style}`);
await writeFile(join(outDir, 'index.html'), html);

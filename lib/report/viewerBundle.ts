/**
 * three.js and the viewer bundled into one minified script for the page, so the report opens
 * offline from a file (no CDN, no module loading). Built with esbuild from the installed `three`
 * (tree-shaken to what the viewer imports). Building takes about a second, so the result is kept
 * beside this module under a name hashed from the viewer source and the three/esbuild versions
 * (where that folder is writable; otherwise it is rebuilt once per process).
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { atomicWrite } from '../io/atomicWrite.js';
import { packageRoot } from '../native.js';
import { VIEWER_SOURCE } from './viewerSource.js';

let bundle: Promise<string> | null = null;

function threeVersion(): string {
  // three's "exports" hide package.json from require; read it from the resolved entry's folder.
  const entry = require.resolve('three');
  return JSON.parse(fs.readFileSync(path.join(path.dirname(entry), '..', 'package.json'), 'utf8')).version;
}

async function build(): Promise<string> {
  const esbuild = await import('esbuild');
  const key = createHash('sha256').update(`${VIEWER_SOURCE}\0${threeVersion()}\0${esbuild.version}`).digest('hex').slice(0, 16);
  const cached = path.join(__dirname, `viewer-${key}.js`);
  try {
    return await fs.promises.readFile(cached, 'utf8');
  } catch { /* not built yet */ }
  const out = await esbuild.build({
    stdin: { contents: VIEWER_SOURCE, resolveDir: packageRoot(), sourcefile: 'mxne-viewer.js', loader: 'js' },
    bundle: true, format: 'iife', minify: true, write: false, target: 'es2020', legalComments: 'none', logLevel: 'silent',
  });
  // A literal "</script" inside the bundle would end the page's script element.
  const text = out.outputFiles[0].text.replace(/<\/script/gi, '<\\/script');
  await atomicWrite(cached, text).catch(() => { /* read-only install: rebuilt next process */ });
  return text;
}

export function viewerBundle(): Promise<string> {
  bundle ??= build();
  return bundle;
}

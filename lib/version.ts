/** mxne's version, from package.json (one source of truth). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { packageRoot } from './native.js';

let cached: string | undefined;
export function version(): string {
  cached ??= (JSON.parse(fs.readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
  return cached;
}

/** The README's code blocks, so tests can run them as written (the README is a tested contract). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { packageRoot } from '../../lib/native.js';

export interface CodeBlock { lang: string; code: string; /** 1-based line of the opening fence. */ line: number }

export function readmeBlocks(): CodeBlock[] {
  const lines = fs.readFileSync(path.join(packageRoot(), 'README.md'), 'utf8').split('\n');
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)\s*$/.exec(lines[i]);
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]); i++) body.push(lines[i]);
    blocks.push({ lang: open[1], code: body.join('\n'), line: start + 1 });
  }
  return blocks;
}

/** The one block whose first line is `// <name>` (or `# <name>`), e.g. `// example.mjs`. */
export function namedBlock(name: string): CodeBlock {
  const found = readmeBlocks().filter((b) => new RegExp(`^(//|#) ${name.replace(/\./g, '\\.')}\\b`).test(b.code));
  if (found.length !== 1) throw new Error(`README: expected one code block starting with "// ${name}", found ${found.length}`);
  return found[0];
}

/** Shell commands of sh blocks, one per logical line (backslash continuations joined, comments dropped). */
export function shellCommands(): { command: string; line: number }[] {
  const out: { command: string; line: number }[] = [];
  for (const b of readmeBlocks().filter((x) => x.lang === 'sh')) {
    let acc = '';
    b.code.split('\n').forEach((raw, k) => {
      const text = raw.replace(/\s+#.*$/, '').replace(/^#.*$/, '');
      if (text.trimEnd().endsWith('\\')) { acc += `${text.trimEnd().slice(0, -1)} `; return; }
      const command = (acc + text).trim();
      acc = '';
      if (command) out.push({ command, line: b.line + 1 + k });
    });
  }
  return out;
}

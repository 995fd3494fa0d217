#!/usr/bin/env node
// Reads the failures scripts/sanitizeReporter.js wrote. When every one is LeakSanitizer's own
// tracer crashing at a child process's exit ("LeakSanitizer has encountered a fatal error", after
// "Tracer caught signal 11": google/sanitizers#1353, intermittent; a leak reads "LeakSanitizer:
// detected memory leaks" instead), prints the mocha arguments that run just those tests again, one
// per NUL-terminated field, and exits 0; exits 1 when nothing failed or any failure is something else.
'use strict';
const failures = JSON.parse(require('node:fs').readFileSync(process.argv[2], 'utf8'));
const crash = (f) => /LeakSanitizer has encountered a fatal error/.test(f.error) && !/detected memory leaks/.test(f.error);
if (failures.length === 0 || !failures.every(crash)) process.exit(1);
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const args = [...new Set(failures.map((f) => f.file))].flatMap((f) => ['--spec', f]);
args.push('--grep', `^(${failures.map((f) => escape(f.title)).join('|')})$`);
process.stdout.write(args.map((a) => `${a}\0`).join(''));

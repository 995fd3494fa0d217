#!/usr/bin/env node
// Exit 0 when every failure in a mocha log (dot or spec reporter) is LeakSanitizer's own tracer
// crashing at a child process's exit ("LeakSanitizer has encountered a fatal error", after "Tracer
// caught signal 11" when the test kept that line: google/sanitizers#1353, intermittent; a leak is
// reported as "LeakSanitizer: detected memory leaks" instead); 1 otherwise, or when nothing failed.
// scripts/sanitize.sh runs the suite once more only then.
'use strict';
const log = require('node:fs').readFileSync(process.argv[2], 'utf8');
const failing = /^\s*(\d+) failing/m.exec(log);
if (!failing) process.exit(1);
const n = Number(failing[1]);
const list = log.slice(failing.index);
const blocks = list.split(/^ {2}(?=\d+\) )/m).slice(1);
const tracer = blocks.filter((b) => /LeakSanitizer has encountered a fatal error/.test(b) && !/detected memory leaks/.test(b));
process.exit(n > 0 && blocks.length === n && tracer.length === n ? 0 : 1);

// mocha's dot reporter, which also writes each failure (spec file, full title, error text) to the
// JSON file named by --reporter-option failures=FILE, for scripts/tracerCrashRerun.js to read:
// a structured list, where the dot log's failure section is nested text.
'use strict';
const fs = require('node:fs');
const { reporters } = require('mocha');

class SanitizeReporter extends reporters.Dot {
  constructor(runner, options) {
    super(runner, options);
    const file = options.reporterOption && options.reporterOption.failures;
    if (!file) throw new Error('sanitizeReporter: give --reporter-option failures=FILE');
    runner.once('end', () => {
      const failures = this.failures.map((t) => ({
        file: t.file,
        title: t.fullTitle(),
        error: `${t.err && t.err.message}\n${t.err && t.err.stack}`,
      }));
      fs.writeFileSync(file, JSON.stringify(failures));
    });
  }
}
module.exports = SanitizeReporter;

// Loaded with `node --require` into every Node process a benchmark starts (NODE_OPTIONS carries it to
// child processes too): on exit each process appends its peak resident set size, so the harness can
// report the largest single process of a command without any system tool.
'use strict';
// eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded with --require, before any ESM loader
const { appendFileSync } = require('node:fs');
const target = process.env.FLOTILLA_BENCH_RSS_FILE;
if (target) {
  process.on('exit', () => {
    try {
      appendFileSync(target, `${process.pid} ${process.resourceUsage().maxRSS}\n`);
    } catch {
      // The harness reports a missing figure rather than failing the measured command.
    }
  });
}

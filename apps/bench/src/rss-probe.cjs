// Loaded with `node --require` into every Node process a benchmark starts (NODE_OPTIONS carries it to
// child processes too): on exit each process appends its peak resident set size and CPU time, so the
// harness can report the largest single process and the CPU a command used without any system tool.
'use strict';
// eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded with --require, before any ESM loader
const { appendFileSync } = require('node:fs');
const target = process.env.FLOTILLA_BENCH_RSS_FILE;
if (target) {
  process.on('exit', () => {
    try {
      const usage = process.resourceUsage();
      appendFileSync(target, `${process.pid} ${usage.maxRSS} ${usage.userCPUTime + usage.systemCPUTime}\n`);
    } catch {
      // The harness reports a missing figure rather than failing the measured command.
    }
  });
}

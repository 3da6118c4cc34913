import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { formatSuiteResults, verifySuites } from '@flotilla/policy';
import { parseArgs } from '../lib/args';
import { UsageError, type Command } from '../lib/command';

const HELP = `Usage: flotilla policy verify [<dir>] [--run <regex>] [--verbose]

Runs every gator-format suite (kind: Suite, apiVersion: test.gatekeeper.sh/v1alpha1) under <dir>
with gator verify semantics, evaluating the CEL (K8sNativeValidation) ConstraintTemplates in Node:
each test's template must compile the way Gatekeeper compiles it, its constraint must be of the
template's kind and valid against the parameter schema (or invalid when the test says invalid: true),
and every case's assertions (violations: yes | no | N, message: RE2 regexp) must hold. Case objects
may be plain objects or AdmissionReviews; inventory files provide Namespaces for namespaceSelector.

Arguments:
  <dir>            folder to search for suites recursively, gator's <dir>/..., or one suite file
                   (default: policies)

Options:
  --run <regex>    only run tests/cases whose "<test>/<case>" matches this RE2 regexp
  --verbose        list passing tests and cases too
  --help           show this help

Exit codes: 0 all suites pass, 1 a suite, test or case fails, 2 usage error.

Examples:
  flotilla policy verify
  flotilla policy verify policies/general/allowedrepos --verbose
  flotilla policy verify ./...
  flotilla policy verify policies/general/imagetags/suite.yaml
  flotilla policy verify --run 'repos-allowed/example-disallowed'
`;

export const policyVerifyCommand: Command = {
  name: 'policy verify',
  summary: 'Run gator-format policy suites (ConstraintTemplates in CEL) without gator',
  help: HELP,
  async run(args, io) {
    const parsed = parseArgs(args, { command: 'policy verify', valueFlags: ['run'], switchFlags: ['verbose', 'help'] });
    if (parsed.switches.has('help')) {
      io.out(HELP);
      return 0;
    }
    if (parsed.positionals.length > 1) {
      throw new UsageError(`expected at most one folder, got ${parsed.positionals.length}: ${parsed.positionals.join(' ')}; see 'flotilla policy verify --help'`);
    }
    const given = parsed.positionals[0] ?? 'policies';
    // gator's `./...` means "recursively", which is what a folder means here anyway
    const dir = path.resolve(io.cwd, given.replace(/(^|\/)\.\.\.$/, '$1.'));
    if (!existsSync(dir)) {
      throw new UsageError(`folder ${JSON.stringify(given)} does not exist (resolved to ${dir}); pass the folder that holds the suites or a suite file`);
    }
    const runs = parsed.flags.get('run') ?? [];
    if (runs.length > 1) throw new UsageError('--run may be given once; combine patterns with |');
    let result;
    try {
      result = await verifySuites(dir, runs[0] !== undefined ? { run: runs[0] } : {});
    } catch (error) {
      if (runs[0] !== undefined && /invalid regular expression/.test((error as Error).message)) throw new UsageError(`--run: ${(error as Error).message}`);
      throw error;
    }
    if (result.suites.length === 0) {
      io.err(`no suites found under ${dir} (files with kind: Suite)\n`);
      return 1;
    }
    const text = formatSuiteResults(result, { verbose: parsed.switches.has('verbose') });
    if (result.passed) io.out(text);
    else io.err(text);
    return result.passed ? 0 : 1;
  },
};

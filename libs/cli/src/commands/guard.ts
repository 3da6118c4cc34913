import { ALLOW_DESTRUCTIVE, formatGuardEntry, guardFindings, type GuardResult } from '@flotilla/diff';
import { parseArgs } from '../lib/args';
import type { Command } from '../lib/command';
import { recoverFirst } from '../lib/recover-first';
import { commonOptions, computeDiff, emit, printFailures, type DiffDependencies } from './diff';

export function createGuardCommand(deps: DiffDependencies = {}): Command {
  return {
    name: 'guard',
    summary: 'fail when clusters/ would destroy state compared with a git revision',
    help: `Usage: flotilla guard --base <git-ref> [--format text|json] [--output <file>]

Renders <git-ref> like 'flotilla diff' and fails (exit 1) when the change would:
  - remove a stateful resource: ACK DBInstance, DBCluster, Bucket or Secret, a Crossplane managed
    resource without deletionPolicy Orphan, a PersistentVolumeClaim, a Namespace or a CRD (also
    when it is renamed, or moved to another Flux Kustomization, which may prune it first);
  - replace a stateful resource: one disappears while one of the same kind appears in the same
    unit (e.g. an RDS instance renamed). Blocked even when the old one is retained, because the new
    one starts empty; once the data is migrated, set ${ALLOW_DESTRUCTIVE} on the new object;
  - switch a deletion policy from retain to delete (ACK services.k8s.aws/deletion-policy,
    Crossplane deletionPolicy or managementPolicies, PersistentVolume persistentVolumeReclaimPolicy);
  - change a field the API server refuses to change (built-in kinds, e.g. a Deployment's
    selector or a RoleBinding's roleRef, and CRD transition rules such as ACK's immutable fields);
    with Flux force (annotation or Kustomization) this is a note, unless re-creating loses state.
Removals that keep the real resource (ACK retain, Crossplane Orphan, Flux prune: disabled or a
Kustomization with prune: false) are listed as notes.

To accept a destructive change, set the annotation ${ALLOW_DESTRUCTIVE}: "<reason>" on the
object in its chart; for a removal it must already be in the base revision (merge it first).
Accepted changes and their reasons are listed in the output.

Options:
  --base <git-ref>     revision to compare with, e.g. origin/main (required)
  --format <format>    text (default) or json (findings)
  --output <file>      write the report to this file instead of standard output
  --help               this text

Exit codes: 0 no blocking change, 1 blocking changes, 2 usage error.

Examples:
  npx flotilla guard --base origin/main`,
    async run(args, io) {
      const parsed = parseArgs(args, { command: 'guard', valueFlags: ['base', 'format', 'output'] });
      const { base, format, output } = commonOptions(parsed, 'guard', ['text', 'json']);
      recoverFirst(io, 'flotilla guard');
      const { guard, notes } = await computeDiff(io.cwd, base, deps);
      const report = format === 'json' ? JSON.stringify({ passed: guard.failures.length === 0, findings: guardFindings(guard) }, null, 2) + '\n' : textReport(guard, notes);
      await emit(report, output, io);
      if (guard.failures.length === 0) return 0;
      if (output || format === 'json') printFailures(guard, io);
      return 1;
    },
  };
}

export const guardCommand: Command = createGuardCommand();

function textReport(guard: GuardResult, notes: readonly string[]): string {
  const lines = notes.map((note) => note.replace(/`/g, "'"));
  if (guard.failures.length > 0) {
    lines.push(`destructive-change guard failed: ${guard.failures.length} blocking change(s)`);
    for (const entry of guard.failures) lines.push(`  ${formatGuardEntry(entry)}`);
  } else {
    lines.push('destructive-change guard passed');
  }
  if (guard.accepted.length > 0) {
    lines.push(`accepted destructive changes (${ALLOW_DESTRUCTIVE}):`);
    for (const entry of guard.accepted) lines.push(`  ${formatGuardEntry(entry)}`);
  }
  if (guard.notes.length > 0) {
    lines.push('notes:');
    for (const entry of guard.notes) lines.push(`  ${formatGuardEntry(entry)}`);
  }
  return lines.join('\n') + '\n';
}

import { ALLOW_DESTRUCTIVE, driftJson, driftText, formatGuardEntry, guardFindings, hasDrift, type GuardResult, type RenderDrift } from '@flotilla/diff';
import { parseArgs } from '../lib/args';
import type { Command } from '../lib/command';
import { recoverFirst } from '../lib/recover-first';
import { commonOptions, computeDiff, emit, printDrift, printFailures, type DiffDependencies } from './diff';

export function createGuardCommand(deps: DiffDependencies = {}): Command {
  return {
    name: 'guard',
    summary: 'fail when clusters/ would destroy state compared with a git revision',
    help: `Usage: flotilla guard --base <git-ref> [--format text|json] [--output <file>]

Renders both sides from source like 'flotilla diff' (the base from <git-ref>'s commit, the head
from the working tree, never a committed clusters/) and fails (exit 1) when the change would:
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

When clusters/ differs from the head's render (synth's own files), that drift is reported first
and the guard fails too: Flux applies the committed files, so run 'npm run synth' and commit.

Options:
  --base <git-ref>     revision to compare with, e.g. origin/main (required)
  --format <format>    text (default) or json (findings)
  --output <file>      write the report to this file instead of standard output
  --help               this text

Exit codes: 0 no blocking change and no drift, 1 blocking changes, drift, or a side that could
not be rendered (the error names the commit and the failing step), 2 usage error.

Examples:
  npx flotilla guard --base origin/main`,
    async run(args, io) {
      const parsed = parseArgs(args, { command: 'guard', valueFlags: ['base', 'format', 'output'] });
      const { base, format, output } = commonOptions(parsed, 'guard', ['text', 'json']);
      recoverFirst(io, 'flotilla guard');
      const { guard, drift, notes } = await computeDiff(io, base, 'guard', deps);
      const drifted = hasDrift(drift);
      const report =
        format === 'json'
          ? JSON.stringify({ passed: guard.failures.length === 0 && !drifted, ...(drifted ? { drift: driftJson(drift) } : {}), findings: guardFindings(guard) }, null, 2) + '\n'
          : textReport(guard, notes, drift);
      await emit(report, output, io);
      if (output || format === 'json') {
        printDrift(drift, io);
        if (guard.failures.length > 0) printFailures(guard, io);
      }
      return guard.failures.length > 0 || drifted ? 1 : 0;
    },
  };
}

export const guardCommand: Command = createGuardCommand();

function textReport(guard: GuardResult, notes: readonly string[], drift: RenderDrift): string {
  const lines = hasDrift(drift) ? [...driftText(drift), ''] : [];
  lines.push(...notes.map((note) => note.replace(/`/g, "'")));
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

import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { objectLine, parsePolicyReport, reportToAsff, reportToSarif, type LocatedViolation, type PolicyReportDocument } from '@flotilla/policy';
import { severityOverride, type FindingContext, type SeverityLabel } from '@flotilla/policy-findings-contract';
import { parse } from 'yaml';
import { parseArgs } from '../lib/args';
import { requireHost, UsageError, type Command, type CommandIO } from '../lib/command';

const HELP = `Usage: flotilla policy report --format sarif|asff [--cluster <name>]... [--report-dir <dir>]
                              [--output <file>] [--time <ISO 8601>]

Exports the policy reports that 'flotilla validate' writes (<report-dir>/<cluster>/policy-report.json):
  sarif   SARIF 2.1.0 for GitHub code scanning: one rule per constraint (<Kind>/<name>), one result per
          violation at the file and line of the rendered object; level error (deny), warning (warn),
          note (dryrun); security-severity from the constraint's flotilla.dev/severity or its action.
  asff    {"Findings": [...]}: the BatchImportFindings input (aws securityhub batch-import-findings
          --cli-input-json file://…), with the same mapping the policy-findings Lambda uses for
          Gatekeeper's audit results (GeneratorId flotilla/gatekeeper/pre-merge/<cluster>/…); account,
          region and EKS name come from the fleet config.

Options:
  --format sarif|asff   output format (required)
  --cluster <name>      only this cluster's report (repeatable; default: every report in --report-dir)
  --report-dir <dir>    where validate wrote the reports (default: dist/reports)
  --output <file>       write here instead of stdout (folders are created)
  --time <ISO 8601>     CreatedAt/UpdatedAt of ASFF findings (default: now)
  --help                show this help

Exit codes: 0 written, 2 usage error (no report, unknown cluster, bad option).

Examples:
  npx flotilla validate clusters && npx flotilla policy report --format sarif --output policy.sarif
  npx flotilla policy report --format asff --cluster prod --output dist/reports/prod/findings.json`;

export const policyReportCommand: Command = {
  name: 'policy report',
  summary: 'Export the policy reports as SARIF (code scanning) or ASFF (Security Hub)',
  help: HELP,
  async run(args, io) {
    const parsed = parseArgs(args, { command: 'policy report', valueFlags: ['format', 'cluster', 'report-dir', 'output', 'time'], switchFlags: ['help'] });
    if (parsed.switches.has('help')) {
      io.out(`${HELP}\n`);
      return 0;
    }
    if (parsed.positionals.length > 0) throw new UsageError(`unexpected argument '${parsed.positionals[0]}'; see 'flotilla policy report --help'`);
    const format = parsed.flags.get('format')?.at(-1);
    if (format !== 'sarif' && format !== 'asff') throw new UsageError(`--format must be sarif or asff, got ${format === undefined ? 'nothing' : `'${format}'`}`);
    const time = parsed.flags.get('time')?.at(-1) ?? new Date().toISOString();
    if (Number.isNaN(Date.parse(time)) || !/^\d{4}-\d{2}-\d{2}T/.test(time)) throw new UsageError(`--time '${time}' is not an ISO 8601 timestamp such as 2026-12-04T10:00:00Z`);
    const invocationDir = io.invocationDir ?? io.cwd;
    const reportDirArg = parsed.flags.get('report-dir')?.at(-1) ?? 'dist/reports';
    const reportDir = resolve(parsed.flags.has('report-dir') ? invocationDir : io.cwd, reportDirArg);

    const available = existsSync(reportDir) ? readdirSync(reportDir).filter((name) => existsSync(join(reportDir, name, 'policy-report.json'))).sort() : [];
    const requested = parsed.flags.get('cluster') ?? available;
    if (requested.length === 0) {
      throw new UsageError(`no policy report in ${reportDirArg}; run 'npx flotilla validate clusters' first (it writes ${reportDirArg}/<cluster>/policy-report.{md,json})`);
    }
    const missing = requested.filter((cluster) => !available.includes(cluster));
    if (missing.length > 0) {
      throw new UsageError(`no policy report for cluster(s) ${missing.join(', ')} in ${reportDirArg} (found: ${available.join(', ') || 'none'}); run 'npx flotilla validate clusters' first`);
    }
    const reports = requested.map((cluster) => {
      const file = join(reportDir, cluster, 'policy-report.json');
      return parsePolicyReport(readFileSync(file, 'utf8'), `${reportDirArg}/${cluster}/policy-report.json`);
    });
    const entries = reports.flatMap((report) => locate(io.cwd, report));

    let text: string;
    if (format === 'sarif') {
      text = JSON.stringify(reportToSarif(entries), null, 2);
    } else {
      const contexts = await fleetContexts(io, requested);
      text = JSON.stringify({ Findings: reportToAsff(entries, (cluster) => contexts.get(cluster)!, { createdAt: time, updatedAt: time }) }, null, 2);
    }
    const output = parsed.flags.get('output')?.at(-1);
    if (output) {
      const target = resolve(invocationDir, output);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, `${text}\n`);
      io.out(`wrote ${format} for ${entries.length} violation(s) in ${requested.length} cluster(s) to ${output}\n`);
    } else {
      io.out(`${text}\n`);
    }
    return 0;
  },
};

/** Adds the object's line (from the rendered file) and the constraint's severity (from its rendered object). */
function locate(cwd: string, report: PolicyReportDocument): LocatedViolation[] {
  const constraintFiles = indexConstraintFiles(join(cwd, 'clusters', report.cluster));
  const severities = new Map<string, SeverityLabel | undefined>();
  return report.violations.map((violation) => {
    const file = violation.file ? join(cwd, violation.file) : undefined;
    const line = file && existsSync(file) ? objectLine(readFileSync(file, 'utf8'), violation.object) : undefined;
    const key = `${violation.constraint.kind}.constraints.gatekeeper.sh_${violation.constraint.name}.yaml`;
    if (!severities.has(key)) {
      const constraintFile = constraintFiles.get(key);
      const metadata = constraintFile ? (parseMetadata(readFileSync(constraintFile, 'utf8')) ?? undefined) : undefined;
      severities.set(key, severityOverride(metadata).severity);
    }
    const severity = severities.get(key);
    return { cluster: report.cluster, violation, ...(line !== undefined ? { line } : {}), ...(severity ? { severity } : {}) };
  });
}

/** Rendered constraint files of a cluster by file name (`<Kind>.constraints.gatekeeper.sh_<name>.yaml`). */
function indexConstraintFiles(clusterDir: string): Map<string, string> {
  const files = new Map<string, string>();
  if (!existsSync(clusterDir)) return files;
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) visit(join(dir, entry.name));
      else if (entry.name.includes('.constraints.gatekeeper.sh_')) files.set(entry.name, join(dir, entry.name));
    }
  };
  visit(clusterDir);
  return files;
}

function parseMetadata(content: string): { annotations?: Record<string, string>; labels?: Record<string, string> } | undefined {
  // Synth writes one object per file.
  return (parse(content) as { metadata?: { annotations?: Record<string, string>; labels?: Record<string, string> } } | null)?.metadata;
}

async function fleetContexts(io: CommandIO, clusters: readonly string[]): Promise<Map<string, FindingContext>> {
  const fleet = await requireHost(io, 'policy report --format asff').loadFleet();
  const contexts = new Map<string, FindingContext>();
  for (const name of clusters) {
    const cluster = fleet.clusters.find((c) => c.name === name);
    if (!cluster) throw new UsageError(`cluster '${name}' is not in the fleet config; the ASFF export needs its account and region`);
    contexts.set(name, { account: cluster.account, region: cluster.region, source: 'pre-merge', eksClusterName: cluster.eksClusterName ?? cluster.name });
  }
  return contexts;
}

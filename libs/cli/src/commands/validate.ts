import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { KUBERNETES_VERSIONS, type KubernetesVersion } from '@flotilla/config';
import { formatFinding, type Finding, type RenderedObject } from '@flotilla/model';
import { renderPolicyReport, type PolicyViolation } from '@flotilla/policy';
import { parseManifests } from '@flotilla/validate';
import { parseArgs } from '../lib/args';
import { policiesDirOf, UsageError, type Command, type CommandIO } from '../lib/command';
import { checkCluster } from '../lib/fleet-checks';

const VERSIONS: readonly string[] = KUBERNETES_VERSIONS;

export const validateCommand: Command = {
  name: 'validate',
  summary: 'check rendered folders or any YAML files: schemas, CEL rules, references, Secrets, policies',
  help: `Usage: flotilla validate [paths...] [--format text|json] [--kubernetes-version ${KUBERNETES_VERSIONS.join('|')}]
                         [--allow-kind <group/Kind>]... [--report-dir <dir>]

Validates every YAML object under the given files or folders (default: clusters):
  - the schema of its kind (pinned upstream CRDs, Kubernetes built-ins), unknown fields rejected;
  - the CRD's CEL rules (x-kubernetes-validations);
  - references within its cluster (Flux sourceRef/dependsOn, CRDs installed by a dependency,
    Namespaces, ServiceAccounts, ConfigMaps, Secrets, SecretStores, SecretProviderClasses, PVCs);
  - no Secret carries data (secrets come from AWS Secrets Manager via ESO or the CSI driver);
  - the cluster's Gatekeeper constraints (templates from policies/): deny fails, warn/dryrun are reported.
Objects under clusters/<cluster>/ are grouped by cluster. A policy report per cluster is written
to <report-dir>/<cluster>/policy-report.{md,json}.

Options:
  --format text|json          output for people (default) or machines
  --kubernetes-version <v>    schemas for files outside a known cluster (default: 1.35; a cluster of the
                              fleet uses its own version)
  --allow-kind <group/Kind>   accept a kind without a schema (repeatable; 'group/*' for a whole group)
  --report-dir <dir>          where policy reports go (default: dist/reports)

Exit code: 0 when there is no error, 1 when there is one, 2 on bad usage.

Examples:
  npm run validate
  npx flotilla validate clusters/prod --format json
  npx flotilla validate some/manifest.yaml`,
  async run(args, io) {
    const parsed = parseArgs(args, { command: 'validate', valueFlags: ['format', 'kubernetes-version', 'allow-kind', 'report-dir'] });
    const format = parsed.flags.get('format')?.at(-1) ?? 'text';
    if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json, got '${format}'`);
    const version = (parsed.flags.get('kubernetes-version')?.at(-1) ?? '1.35') as KubernetesVersion;
    if (!VERSIONS.includes(version)) throw new UsageError(`--kubernetes-version must be one of ${VERSIONS.join(', ')}, got '${version}'`);
    const reportDir = join(io.cwd, parsed.flags.get('report-dir')?.at(-1) ?? 'dist/reports');
    const paths = parsed.positionals.length > 0 ? parsed.positionals : ['clusters'];

    const started = performance.now();
    const files = collectYaml(io.cwd, io.invocationDir ?? io.cwd, paths);
    const { objects, findings } = parseManifests(files.map((file) => ({ file, content: readFileSync(resolve(io.cwd, file), 'utf8') })));
    const byCluster = groupByCluster(objects);
    const versions = await clusterVersions(io);
    const violations: PolicyViolation[] = [];
    for (const [cluster, members] of byCluster) {
      const kubernetesVersion = (cluster ? versions.get(cluster) : undefined) ?? version;
      const checked = checkCluster(policiesDirOf(io), {
        rendered: members,
        all: cluster === undefined ? undefined : () => members,
        kubernetesVersion,
        allowedUnknownKinds: parsed.flags.get('allow-kind'),
      });
      findings.push(...checked.findings);
      if (cluster === undefined) continue;
      const clusterViolations = checked.violations;
      violations.push(...clusterViolations);
      const report = renderPolicyReport(cluster, clusterViolations);
      mkdirSync(join(reportDir, cluster), { recursive: true });
      writeFileSync(join(reportDir, cluster, 'policy-report.md'), report.markdown);
      writeFileSync(join(reportDir, cluster, 'policy-report.json'), report.json);
    }
    const elapsed = Math.round(performance.now() - started);
    const errors = findings.filter((finding) => finding.severity === 'error');
    if (format === 'json') {
      io.out(`${JSON.stringify({ files: files.length, objects: objects.length, errors: errors.length, findings, violations }, null, 2)}\n`);
    } else {
      for (const finding of sortFindings(findings)) io.out(`${finding.severity === 'error' ? 'error' : finding.severity}: ${formatFinding(finding)}\n`);
      const clusters = [...byCluster.keys()].filter(Boolean).join(', ');
      io.out(
        `validated ${objects.length} objects in ${files.length} files${clusters ? ` (clusters: ${clusters})` : ''}: ${errors.length} error(s), ${findings.length - errors.length} warning(s) (${elapsed} ms)\n`,
      );
    }
    return errors.length > 0 ? 1 : 0;
  },
};

/** YAML files under `paths` (relative to where the user typed them), named relative to the repo root. */
/** Each fleet cluster's Kubernetes version; a broken fleet config only costs the per-cluster versions. */
async function clusterVersions(io: CommandIO): Promise<Map<string, KubernetesVersion>> {
  if (!io.host) return new Map();
  try {
    const fleet = await io.host.loadFleet();
    return new Map(fleet.clusters.map((cluster) => [cluster.name, cluster.kubernetesVersion]));
  } catch (error) {
    io.err(`warning: the fleet config could not be loaded, so every cluster is validated with the --kubernetes-version schemas: ${(error as Error).message}\n`);
    return new Map();
  }
}

function collectYaml(cwd: string, invocationDir: string, paths: readonly string[]): string[] {
  const files: string[] = [];
  const visit = (absolute: string) => {
    const stat = statSync(absolute);
    if (stat.isDirectory()) {
      for (const entry of readdirSync(absolute).sort()) if (!entry.startsWith('.') && entry !== 'node_modules') visit(join(absolute, entry));
    } else if (/\.ya?ml$/.test(absolute) && !/(^|\/)kustomization\.ya?ml$/.test(absolute)) {
      const inRepo = relative(cwd, absolute);
      files.push(inRepo.startsWith('..') ? absolute : inRepo);
    }
  };
  for (const path of paths) {
    const absolute = resolve(invocationDir, path);
    if (!existsSync(absolute)) throw new UsageError(`'${path}' does not exist; pass rendered folders (e.g. clusters) or YAML files`);
    visit(absolute);
  }
  return files;
}

function groupByCluster(objects: readonly RenderedObject[]): Map<string | undefined, RenderedObject[]> {
  const groups = new Map<string | undefined, RenderedObject[]>();
  for (const object of objects) groups.set(object.cluster, [...(groups.get(object.cluster) ?? []), object]);
  return groups;
}

function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((a, b) => (a.file ?? '').localeCompare(b.file ?? '') || a.message.localeCompare(b.message));
}

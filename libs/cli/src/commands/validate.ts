import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { KUBERNETES_VERSIONS, type ClusterRelease, type KubernetesVersion } from '@flotilla/config';
import { generatedHeaderProblem, withSynthLock } from '@flotilla/core';
import type { Finding, RenderedObject } from '@flotilla/model';
import { CONSTRAINT_GROUP, constraintsNotEvaluatedOffline, policyTemplates, renderPolicyReport, type PolicyViolation } from '@flotilla/policy';
import { checkAppConfigSchemas, checkBucketOwners, checkFluxPaths, checkLambdaArtifacts, parseManifests } from '@flotilla/validate';
import { parseArgs } from '../lib/args';
import { policiesDirOf, UsageError, type Command, type CommandIO } from '../lib/command';
import { checkCluster } from '../lib/fleet-checks';
import { readLambdaArtifactRecords } from '../lib/lambda-artifact-records';
import { recoverFirst } from '../lib/recover-first';
import { handWrittenRepo, ignoreMissingSchema, kubernetesVersion, skipMatcher, validateHandWritten, type ScopeOptions } from '../lib/hand-written-repo';
import { Progress } from '../lib/progress';
import { parseFormat, renderReport } from '../lib/report/emit';

export const validateCommand: Command = {
  name: 'validate',
  summary: 'check rendered folders or any YAML files: schemas, CEL rules, references, Secrets, policies',
  help: `Usage: flotilla validate [paths...] [--format text|json|junit|sarif] [--kubernetes-version ${KUBERNETES_VERSIONS.join('|')}]
                         [--ignore-missing-schemas] [--skip <Kind,Kind>] [--allow-kind <group/Kind>]...
                         [--report-dir <dir>]

Validates every YAML object under the given files or folders (default: clusters):
  - the schema of its kind (pinned upstream CRDs, Kubernetes built-ins), unknown fields rejected;
  - the CRD's CEL rules (x-kubernetes-validations);
  - references within its cluster (Flux sourceRef/dependsOn/serviceAccountName, CRDs installed by a
    dependency, Namespaces, ServiceAccounts, ConfigMaps, Secrets, SecretStores, SecretProviderClasses,
    PVCs, HPA targets, RBAC roleRefs, Pod Identity service accounts, NodePool node classes, route
    backends and their ports); workload, Service and PodDisruptionBudget selectors select pods;
  - values controllers parse: chart versions and semver ranges, cron and EventBridge schedules, IAM
    policy documents (ACK, Crossplane), container/port names and probe ports;
  - Flux Kustomization paths exist, and every kustomization.yaml resource under them;
  - each ACK Lambda Function's spec.code.s3Key (and sha256) is the committed artifact record of its
    app (the artifact.json output of the app's Nx bundle target), the zip CI uploads;
  - no two ACK S3 Buckets of a cluster name the same bucket;
  - no Secret carries data (secrets come from AWS Secrets Manager via ESO or the CSI driver);
  - the cluster's Gatekeeper constraints (templates from policies/): deny fails, warn/dryrun are reported.
Objects under clusters/<cluster>/ are grouped by cluster. A policy report per cluster is written
to <report-dir>/<cluster>/policy-report.{md,json}. On a terminal, runs longer than 2 s show progress.

Hand-written Flux repositories: a folder that is not Flotilla's output (no file has synth's header)
and has a kustomization.yaml or a Flux Kustomization is validated the way Flux applies it:
  - each Flux Kustomization's spec.path is built with the real kustomize (a kustomize binary, else
    'kubectl kustomize'; FLOTILLA_KUSTOMIZE=<binary> picks one, FLOTILLA_KUSTOMIZE=none disables it),
    with a generated kustomization where the folder has none, the Kustomization's patches,
    targetNamespace, images and prefixes, then postBuild.substitute/substituteFrom (ConfigMaps, and
    Secrets with plain data, found in the repository; \${var}, \${var:=default}, \${var:-default});
  - bootstrap roots (clusters/<name>/ with flux-system/) are built as their root Kustomization; paths
    from other sources (OCI, other Git repositories) are noted, not built;
  - the result gets the schema, CEL, Secret and reference checks (not Gatekeeper policies), each
    finding reported at the source file and line the object or field comes from (patches included);
  - patch files are only validated inside their build; kustomize configs, Helm values files and
    SOPS-encrypted files are skipped with a note; without kustomize, the paths that could not be
    built are listed and their files validated one by one.

Options:
  --format <f>                text (default), json, junit (JUnit XML, one testcase per file) or
                              sarif (SARIF 2.1.0 for GitHub code scanning, one result per finding)
  --kubernetes-version <v>    schemas for files outside a known cluster (default: 1.35; any version with
                              bundled schemas; a cluster of the fleet uses its own version)
  --ignore-missing-schemas    objects of API groups without any bundled schema are noted, not errors
  --skip <Kind,Kind>          kinds (or apiVersion/Kind) not validated (repeatable)
  --allow-kind <group/Kind>   accept a kind without a schema (repeatable; 'group/*' for a whole group)
  --report-dir <dir>          where policy reports go (default: dist/reports)

Exit code: 0 when there is no error, 1 when there is one, 2 on bad usage.

Examples:
  npm run validate
  npx flotilla validate clusters/prod --format json
  npx flotilla validate some/manifest.yaml
  npx flotilla validate ../my-flux-repo --ignore-missing-schemas --format sarif > flotilla.sarif`,
  async run(args, io) {
    const parsed = parseArgs(args, {
      command: 'validate',
      valueFlags: ['format', 'kubernetes-version', 'allow-kind', 'report-dir', 'skip'],
      switchFlags: ['ignore-missing-schemas'],
    });
    const format = parseFormat(parsed.flags.get('format')?.at(-1));
    const version = kubernetesVersion(parsed.flags.get('kubernetes-version')?.at(-1));
    const reportDir = join(io.cwd, parsed.flags.get('report-dir')?.at(-1) ?? 'dist/reports');
    const paths = parsed.positionals.length > 0 ? parsed.positionals : ['clusters'];
    const options: ScopeOptions = {
      ignoreMissingSchemas: parsed.switches.has('ignore-missing-schemas'),
      skipKinds: (parsed.flags.get('skip') ?? []).flatMap((value) => value.split(',')).map((kind) => kind.trim()).filter(Boolean),
      allowedUnknownKinds: parsed.flags.get('allow-kind'),
      kubernetesVersion: version,
    };
    const handWritten = handWrittenRepo(io.invocationDir ?? io.cwd, paths);
    if (handWritten) return validateHandWritten(io, handWritten, options, format);

    const started = performance.now();
    const progress = new Progress({ write: (text) => io.err(text), terminal: io.errIsTerminal === true });
    recoverFirst(io, 'flotilla validate');
    // Read under the synth lock, so a synth writing at the same time is never seen half-way.
    const sources = withSynthLock(io.cwd, 'flotilla validate', () => {
      const listed = collectYaml(io.cwd, io.invocationDir ?? io.cwd, paths);
      return listed.map((file, i) => {
        progress.update(`reading ${i + 1}/${listed.length} files`);
        return { file, content: readFileSync(resolve(io.cwd, file), 'utf8') };
      });
    });
    const files = sources.map((source) => source.file);
    const parsedFiles = parseManifests(sources);
    const findings = parsedFiles.findings;
    findings.push(...malformedOwnedFiles(sources));
    const isSkipped = skipMatcher(options.skipKinds);
    const objects = parsedFiles.objects.filter((rendered) => !isSkipped(rendered.object));
    const byCluster = groupByCluster(objects);
    const versions = await clusterVersions(io);
    const releases = await clusterReleases(io);
    // An exception is 'unused' only when the whole cluster folder is validated.
    const whole = (cluster: string) => paths.some((given) => ['.', 'clusters', `clusters/${cluster}`].includes(relative(io.cwd, resolve(io.invocationDir ?? io.cwd, given)).replace(/\\/g, '/').replace(/\/$/, '') || '.'));
    const violations: PolicyViolation[] = [];
    for (const [cluster, members] of byCluster) {
      const kubernetesVersion = (cluster ? versions.get(cluster) : undefined) ?? version;
      const what = `${cluster ? `cluster ${cluster}` : 'files outside clusters/'} (${members.length.toLocaleString('en-US')} of ${objects.length.toLocaleString('en-US')} objects)`;
      const checked = checkCluster(policiesDirOf(io), {
        rendered: members,
        all: cluster === undefined ? undefined : () => members,
        kubernetesVersion,
        ...(cluster === undefined ? {} : { release: { cluster, release: releases.get(cluster), complete: whole(cluster) } }),
        allowedUnknownKinds: options.allowedUnknownKinds,
        onStep: (step) => progress.update(`checking ${what}: ${step}`),
      });
      findings.push(...(options.ignoreMissingSchemas ? checked.findings.map((finding) => ignoreMissingSchema(finding, kubernetesVersion)) : checked.findings));
      if (cluster === undefined) continue;
      const clusterViolations = checked.violations;
      violations.push(...clusterViolations);
      const constraints = members.filter((entry) => entry.object.apiVersion.startsWith(`${CONSTRAINT_GROUP}/`)).map((entry) => entry.object);
      const report = renderPolicyReport(cluster, clusterViolations, constraintsNotEvaluatedOffline(policyTemplates(policiesDirOf(io)), constraints));
      mkdirSync(join(reportDir, cluster), { recursive: true });
      writeFileSync(join(reportDir, cluster, 'policy-report.md'), report.markdown);
      writeFileSync(join(reportDir, cluster, 'policy-report.json'), report.json);
    }
    // What Flux reads from the repository (Kustomization paths, kustomization.yaml resources).
    findings.push(...checkFluxPaths(io.cwd, objects));
    // Each ACK Function runs the committed build of its app (the zip the artifacts workflow uploads).
    const lambdaArtifacts = readLambdaArtifactRecords(io.cwd);
    findings.push(...lambdaArtifacts.findings, ...checkLambdaArtifacts(objects, lambdaArtifacts.records));
    // Each freeform AppConfig profile validates with the JSON Schema its content-addressed secret holds.
    findings.push(...checkAppConfigSchemas(objects));
    // One ACK Bucket object per S3 bucket and cluster (the artifacts bucket's policy is the platform's alone).
    findings.push(...checkBucketOwners(objects));
    progress.done();
    const elapsed = Math.round(performance.now() - started);
    const errors = findings.filter((finding) => finding.severity === 'error');
    const clusters = [...byCluster.keys()].filter(Boolean).join(', ');
    io.out(
      renderReport(format, {
        findings,
        files,
        json: { files: files.length, objects: objects.length, skippedObjects: parsedFiles.objects.length - objects.length, errors: errors.length, violations },
        summary: `validated ${objects.length} objects in ${files.length} files${clusters ? ` (clusters: ${clusters})` : ''}: ${errors.length} error(s), ${findings.length - errors.length} warning(s) (${elapsed} ms)`,
      }),
    );
    return errors.length > 0 ? 1 : 0;
  },
};

/** Files that start with synth's header marker but whose header line is damaged (YAML errors are reported by the parser). */
function malformedOwnedFiles(sources: readonly { file: string; content: string }[]): Finding[] {
  return sources.flatMap(({ file, content }) => {
    const problem = generatedHeaderProblem(content);
    return problem
      ? [{ severity: 'error' as const, code: 'synth/malformed-owned-file', file: `${file}:1`, message: `damaged generated file: ${problem}`, fix: `restore it ('git checkout -- ${file}') or delete it, then run 'npm run synth'` }]
      : [];
  });
}

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

/** Each fleet cluster's stage (immutability, exceptions); none when the fleet cannot be loaded (clusterVersions warns). */
async function clusterReleases(io: CommandIO): Promise<Map<string, ClusterRelease | undefined>> {
  if (!io.host) return new Map();
  try {
    const fleet = await io.host.loadFleet();
    return new Map(fleet.clusters.map((cluster) => [cluster.name, cluster.release]));
  } catch {
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
  for (const object of objects) {
    const members = groups.get(object.cluster);
    if (members) members.push(object);
    else groups.set(object.cluster, [object]);
  }
  return groups;
}


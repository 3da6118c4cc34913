import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { artifactObjectKey, ciRoleArn, CiRunner, PARTITIONS, partitionOfRegion, SIGNING_PROFILES, signingProfileArn, type ClusterConfig, type Fleet } from '@flotilla/config';
import { APPCONFIG_SCHEMA_ANNOTATION, APPCONFIG_SCHEMA_TENANT, signedObjectName } from '@flotilla/model';
import { checkAppConfigSchemas, parseManifests } from '@flotilla/validate';
import { parseArgs } from '../lib/args';
import { requireHost, UsageError, type Command } from '../lib/command';
import type { LambdaArtifactRecord } from '@flotilla/validate';
import { readLambdaArtifactRecords } from '../lib/lambda-artifact-records';

const WORKFLOWS = ['image-build', 'artifacts', 'appconfig-schemas'] as const;

export const ciSettingsCommand: Command = {
  name: 'ci-settings',
  summary: "what a CI workflow needs from the fleet's typed config: runner, OIDC role, registry, signing profile, uploads",
  help: `Usage: flotilla ci-settings <${WORKFLOWS.join('|')}> [--github-output]

Prints, as name=value lines, what a workflow of .github/workflows/ takes from the fleet's TypeScript,
so no account id, ARN or runner label is written in the workflow:

  image-build   runs-on (the fleet's ci.imageBuild.runner: a GitHub-hosted label, or
                codebuild-<project>-<run id>-<run attempt> for AWS CodeBuild-hosted runners), and of
                the cluster ci.imageBuild.cluster: cluster, stage, region, role (its CI role, assumed
                through GitHub's OIDC provider), registry (its ECR) and signing-profile (the ARN of
                its ${SIGNING_PROFILES.images.name} AWS Signer profile, Notation's --id)
  artifacts     matrix: one entry per cluster with an artifacts bucket and Lambda app (the app's
                committed artifact record) whose build artifact.signed.json does not yet record
                as signed for that cluster ([] when all are): cluster, region, role, bucket, app,
                zip (the path the bundle target writes), key (where the zip is uploaded), signed-key (where its
                signed copy goes: the s3Key the ACK Function references), signed-file (where the
                job downloads that copy for 'flotilla signed-artifacts') and signing-profile (the
                ${SIGNING_PROFILES.lambda.name} profile's name)
  appconfig-schemas
                matrix: one entry per cluster with an artifacts bucket (it has the CI role) and
                AppConfig profile schema its committed render (clusters/<cluster>) pulls: cluster,
                region, role, name (the content-addressed Secrets Manager name), schema (the
                canonical JSON to store), token (its full SHA-256: the ClientRequestToken that makes
                create-secret idempotent) and tag (tenant=${APPCONFIG_SCHEMA_TENANT}, for the platform store)

Options:
  --github-output   also append the lines to the file $GITHUB_OUTPUT (runs-on needs GITHUB_RUN_ID
                    and GITHUB_RUN_ATTEMPT, which GitHub Actions sets)
  --help            this text

Examples:
  npx flotilla ci-settings image-build
  npx flotilla ci-settings artifacts --github-output
  npx flotilla ci-settings appconfig-schemas --github-output`,
  async run(args, io) {
    const parsed = parseArgs(args, { command: 'ci-settings', valueFlags: [], switchFlags: ['github-output'] });
    const [workflow, ...extra] = parsed.positionals;
    if (!workflow || extra.length > 0 || !(WORKFLOWS as readonly string[]).includes(workflow)) {
      throw new UsageError(`'flotilla ci-settings' takes one workflow, ${WORKFLOWS.join(' or ')}; got '${parsed.positionals.join(' ')}'`);
    }
    const outputFile = process.env.GITHUB_OUTPUT;
    if (parsed.switches.has('github-output') && !outputFile) throw new UsageError('--github-output needs the GITHUB_OUTPUT environment variable (set by GitHub Actions) to name the output file');
    const fleet = await requireHost(io, 'ci-settings').loadFleet();
    const lines =
      workflow === 'image-build' ? imageBuild(fleet, parsed.switches.has('github-output')) : workflow === 'artifacts' ? await artifacts(fleet, io.cwd) : appconfigSchemas(fleet, io.cwd);
    const text = lines.map(([name, value]) => `${name}=${value}\n`).join('');
    io.out(text);
    if (parsed.switches.has('github-output')) appendFileSync(outputFile!, text);
    return 0;
  },
};

function imageBuild(fleet: Fleet, forActions: boolean): [string, string][] {
  if (!fleet.ci) throw new UsageError("the fleet declares no CI settings; add ci: { imageBuild: { cluster: '<cluster>' } } to defineFleet (README \"CI workflows\")", 1);
  const cluster = fleet.clusters.find((candidate) => candidate.name === fleet.ci!.imageBuild.cluster)!;
  const runner = fleet.ci.imageBuild.runner ?? CiRunner.githubHosted();
  const runId = process.env.GITHUB_RUN_ID;
  const runAttempt = process.env.GITHUB_RUN_ATTEMPT;
  if (forActions && runner.kind === 'codebuild' && !(runId && runAttempt)) {
    throw new UsageError('a CodeBuild runner label needs GITHUB_RUN_ID and GITHUB_RUN_ATTEMPT (set by GitHub Actions)');
  }
  return [
    ['runs-on', runner.runsOn(runId ?? '<run id>', runAttempt ?? '<run attempt>')],
    ['cluster', cluster.name],
    ['stage', cluster.environment],
    ['region', cluster.region],
    ['role', ciRoleArn(cluster)],
    ['registry', `${cluster.account}.dkr.ecr.${cluster.region}.${PARTITIONS[partitionOfRegion(cluster.region)].dnsSuffix}`],
    ['signing-profile', signingProfileArn(where(cluster), SIGNING_PROFILES.images)],
  ];
}

async function artifacts(fleet: Fleet, repoRoot: string): Promise<[string, string][]> {
  const { records, findings } = readLambdaArtifactRecords(repoRoot);
  if (findings.length > 0) throw new UsageError(findings.map((finding) => `${finding.file}: ${finding.message} (${finding.fix})`).join('\n'), 1);
  const matrix = fleet.clusters
    .filter((cluster) => cluster.artifacts)
    .flatMap((cluster) =>
      // A build already signed for the cluster is done: signing it again would replace the package its Function runs.
      records.filter((record) => !signedFor(record, cluster.name)).map((record) => ({
        cluster: cluster.name,
        region: cluster.region,
        role: ciRoleArn(cluster),
        bucket: cluster.artifacts!.bucket,
        app: record.app,
        zip: `dist/apps/${record.app}/${record.artifact.fileName}`,
        key: artifactObjectKey(cluster, record.artifact.fileName),
        // Where the signed copy goes: Signer names its output by job id, CI copies it here.
        'signed-key': artifactObjectKey(cluster, signedObjectName(record.artifact.fileName)),
        // Where the job downloads the signed copy: the <cluster>/<zip> layout 'flotilla signed-artifacts' reads.
        'signed-file': `signed-packages/${cluster.name}/${record.artifact.fileName}`,
        'signing-profile': SIGNING_PROFILES.lambda.name,
      })),
    );
  return [['matrix', JSON.stringify(matrix)]];
}

/**
 * The schemas the committed render pulls, per cluster with a CI role: what CI must create before the pull request
 * merges. Read from clusters/ (the ExternalSecrets' annotations), after `flotilla validate`'s own schema check, so
 * what is published is exactly what the committed objects name.
 */
function appconfigSchemas(fleet: Fleet, repoRoot: string): [string, string][] {
  const matrix = fleet.clusters
    .filter((cluster) => cluster.artifacts)
    .flatMap((cluster) => {
      const dir = join('clusters', cluster.name);
      const files = existsSync(join(repoRoot, dir)) ? yamlFiles(repoRoot, dir).filter((file) => file.includes('/ExternalSecret.')) : [];
      const { objects, findings } = parseManifests(files.map((file) => ({ file, content: readFileSync(join(repoRoot, file), 'utf8') })));
      const schemaObjects = objects.filter((entry) => entry.object.metadata.annotations?.[APPCONFIG_SCHEMA_ANNOTATION] !== undefined);
      const problems = [...findings, ...checkAppConfigSchemas(schemaObjects)];
      if (problems.length > 0) throw new UsageError(problems.map((finding) => `${finding.file}: ${finding.message} (${finding.fix})`).join('\n'), 1);
      return schemaObjects.map(({ object }) => {
        const schema = object.metadata.annotations![APPCONFIG_SCHEMA_ANNOTATION]!;
        const name = (object.spec as { data: { remoteRef: { key: string } }[] }).data[0]!.remoteRef.key;
        return {
          cluster: cluster.name,
          region: cluster.region,
          role: ciRoleArn(cluster),
          name,
          schema,
          token: createHash('sha256').update(schema).digest('hex'),
          tag: `Key=tenant,Value=${APPCONFIG_SCHEMA_TENANT}`,
        };
      });
    });
  return [['matrix', JSON.stringify(matrix)]];
}

function yamlFiles(root: string, dir: string): string[] {
  return readdirSync(join(root, dir))
    .sort()
    .flatMap((entry) => {
      const path = `${dir}/${entry}`;
      if (statSync(join(root, path)).isDirectory()) return yamlFiles(root, path);
      return /\.ya?ml$/.test(entry) && !/^kustomization\.ya?ml$/.test(entry) ? [path] : [];
    });
}

function signedFor(record: LambdaArtifactRecord, cluster: string): boolean {
  const signed = record.signed;
  return signed !== undefined && !signed.example && signed.fileName === record.artifact.fileName && signed.clusters[cluster] !== undefined;
}

const where = (cluster: ClusterConfig) => ({ partition: partitionOfRegion(cluster.region), region: cluster.region, account: cluster.account });

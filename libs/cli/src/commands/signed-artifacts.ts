import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { SIGNING_PROFILES } from '@flotilla/config';
import { validateSignedLambdaArtifacts, type SignedLambdaArtifacts, type SignedLambdaPackage } from '@flotilla/model';
import { parseArgs } from '../lib/args';
import { requireHost, UsageError, type Command } from '../lib/command';
import { readLambdaArtifactRecords } from '../lib/lambda-artifact-records';

const COMMENT =
  'Written by `flotilla signed-artifacts` in the artifacts workflow (.github/workflows/artifacts.yml): the AWS Signer-signed copy of fileName per cluster, whose sha256 (Lambda\'s CodeSha256) the ACK Function declares. Do not edit.';
/** A zip's local file header: what every zip, signed or not, starts with. */
const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

export const signedArtifactsCommand: Command = {
  name: 'signed-artifacts',
  summary: "records the signed Lambda packages (per cluster) the ACK Functions deploy, from the artifacts workflow's downloads",
  help: `Usage: flotilla signed-artifacts <dir>

Records the Lambda packages AWS Signer signed (profile ${SIGNING_PROFILES.lambda.name}) in each cluster's
account: <dir>/<cluster>/<zip> is the signed copy of <zip> (the file name of an app's committed
artifact record) that the artifacts workflow downloaded from the cluster's signed/<zip> key.
For each app it writes artifact.signed.json next to the app's artifact.json: the build, and per
cluster the signed package's SHA-256 (base64, as Lambda reports CodeSha256; the ACK Function's
spec.code.sha256, which ACK compares with CodeSha256 to decide whether to update the code).
Entries of other clusters for the same build are kept; a record of an older build, or the
example fleet's placeholder record, is replaced. Nothing is written unless every file is valid.

Options:
  --help   this text

Example:
  npx flotilla signed-artifacts signed-packages`,
  async run(args, io) {
    const parsed = parseArgs(args, { command: 'signed-artifacts', valueFlags: [], switchFlags: [] });
    const [dirArg, ...extra] = parsed.positionals;
    if (!dirArg || extra.length > 0) throw new UsageError(`'flotilla signed-artifacts' takes one folder of <cluster>/<zip> signed packages; got '${parsed.positionals.join(' ')}'`);
    const dir = resolve(io.invocationDir ?? io.cwd, dirArg);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`${dirArg} is not a folder; the artifacts workflow downloads the signed packages there as <cluster>/<zip>`);
    const fleet = await requireHost(io, 'signed-artifacts').loadFleet();
    const { records, findings } = readLambdaArtifactRecords(io.cwd);
    if (findings.length > 0) throw new UsageError(findings.map((finding) => `${finding.file}: ${finding.message} (${finding.fix})`).join('\n'), 1);
    const clusters = new Set(fleet.clusters.filter((cluster) => cluster.artifacts).map((cluster) => cluster.name));

    const packages = new Map<string, Map<string, SignedLambdaPackage>>(); // app -> cluster -> package
    const problems: string[] = [];
    for (const cluster of readdirSync(dir).sort()) {
      const where = join(dir, cluster);
      if (!statSync(where).isDirectory()) {
        problems.push(`${relative(io.cwd, where)}: not a <cluster> folder`);
        continue;
      }
      if (!clusters.has(cluster)) problems.push(`${relative(io.cwd, where)}: '${cluster}' is not a cluster of the fleet with an artifacts bucket (${[...clusters].join(', ')})`);
      for (const name of readdirSync(where).sort()) {
        const file = join(where, name);
        const record = records.find((candidate) => candidate.artifact.fileName === name);
        if (!record) {
          problems.push(`${relative(io.cwd, file)}: '${name}' is not the committed build of any Lambda app (${records.map((r) => r.artifact.fileName).join(', ')})`);
          continue;
        }
        const bytes = readFileSync(file);
        const sha256 = createHash('sha256').update(bytes).digest();
        if (!bytes.subarray(0, 4).equals(ZIP_MAGIC)) problems.push(`${relative(io.cwd, file)}: not a zip (Signer's signed copy of a Lambda zip is a zip)`);
        else if (sha256.toString('base64') === record.artifact.sha256) problems.push(`${relative(io.cwd, file)}: is the unsigned zip itself (same SHA-256 as ${record.file}); download the signing job's output, the signed/<zip> key`);
        const perCluster = packages.get(record.app) ?? new Map<string, SignedLambdaPackage>();
        perCluster.set(cluster, { sha256: sha256.toString('base64'), sha256Hex: sha256.toString('hex'), size: bytes.length });
        packages.set(record.app, perCluster);
      }
    }
    if (problems.length > 0) throw new UsageError(problems.join('\n'), 1);
    if (packages.size === 0) throw new UsageError(`${dirArg} holds no signed package (<cluster>/<zip>)`, 1);

    const writes: [string, string][] = [];
    for (const record of records) {
      const perCluster = packages.get(record.app);
      if (!perCluster) continue;
      const previous: SignedLambdaArtifacts | undefined = record.signed;
      const kept = previous && !previous.example && previous.fileName === record.artifact.fileName ? previous.clusters : {};
      const merged: Record<string, SignedLambdaPackage> = { ...kept, ...Object.fromEntries(perCluster) };
      const content = { $comment: COMMENT, fileName: record.artifact.fileName, clusters: Object.fromEntries(Object.keys(merged).sort().map((name) => [name, merged[name]!])) };
      validateSignedLambdaArtifacts(content, record.app);
      writes.push([record.signedFile, `${JSON.stringify(content, null, 2)}\n`]);
      io.out(`${record.signedFile}: ${record.artifact.fileName} signed for ${[...perCluster.keys()].join(', ')}\n`);
    }
    for (const [file, text] of writes) writeFileSync(join(io.cwd, file), text);
    return 0;
  },
};

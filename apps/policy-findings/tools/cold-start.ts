// Measures the Lambda's cold start locally: each sample spawns a fresh Node process, requires the built bundle and
// invokes the handler once against the local Security Hub/EKS and Kubernetes servers (no network latency, so this is
// the code's own cost). Usage: nx run policy-findings:cold-start  (or: tsx apps/policy-findings/tools/cold-start.ts [samples])
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CONFIG_ENV } from '@flotilla/policy-findings-contract';
import { allowedRepos, fakeCluster, twoClusterConfig } from '../src/testing';
import { bundle } from './bundle';
import { FakeAws } from './fake-aws';
import { runBundle, type BundleRun } from '@flotilla/lambda-build';
import { readZip } from '@flotilla/lambda-build';

async function main(samples: number): Promise<void> {
  const scratch = mkdtempSync(path.join(tmpdir(), 'policy-findings-cold-'));
  const aws = new FakeAws();
  const prod = fakeCluster('prod-eks');
  const dev = fakeCluster('dev');
  try {
    const built = await bundle({ outDir: path.join(scratch, 'out'), writeArtifactJson: false });
    const dir = path.join(scratch, 'unpacked');
    mkdirSync(dir);
    for (const entry of readZip(built.zip)) writeFileSync(path.join(dir, entry.name), entry.data);
    await Promise.all([aws.start(), prod.start(), dev.start()]);
    prod.constraints.push(allowedRepos([{ name: 'web', namespace: 'team-a' }, { name: 'api', namespace: 'team-b' }]));
    dev.constraints.push(allowedRepos([{ name: 'web', namespace: 'team-a' }]));
    const env = { ...aws.sdkEnvironment(), [CONFIG_ENV]: JSON.stringify(twoClusterConfig(aws, prod, dev)) };
    const runs: BundleRun[] = [];
    for (let i = 0; i < samples; i++) {
      aws.findings.clear(); // every sample is a first run: 3 findings created
      const run = await runBundle(path.join(dir, 'index.js'), { id: `cold-${i}` }, env);
      if (run.error || (run.result as { failed?: unknown[] }).failed?.length) throw new Error(`cold-start: sample ${i} failed: ${JSON.stringify(run.error ?? run.result)}`);
      runs.push(run);
    }
    const median = (pick: (r: BundleRun) => number) => {
      const sorted = runs.map(pick).sort((a, b) => a - b);
      return sorted[Math.floor(sorted.length / 2)]!.toFixed(1);
    };
    process.stdout.write(
      [
        `policy-findings cold start, ${samples} fresh ${runs[0]!.node} processes, median ms:`,
        `  process start → bundle loaded (init): ${median((r) => r.initMs)}`,
        `  require(bundle) alone:                ${median((r) => r.importMs)}`,
        `  first invocation (2 clusters):        ${median((r) => r.invokeMs)}`,
        `  spawn → exit (wall):                  ${median((r) => r.wallMs)}`,
        `  zip ${built.artifact.size} bytes, index.js ${built.artifact.unpackedSize} bytes`,
        '',
      ].join('\n'),
    );
  } finally {
    await Promise.all([aws.stop(), prod.stop(), dev.stop()]);
    rmSync(scratch, { recursive: true, force: true });
  }
}

main(Number(process.argv[2] ?? 15)).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});

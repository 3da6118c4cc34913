// Measures the Lambda's cold start locally: each sample spawns a fresh Node process, requires the built bundle and
// invokes the handler once against the local fake AWS server (no network latency, so this is the code's own cost).
// Usage: nx run appconfig-sync:cold-start  (or: tsx apps/appconfig-sync/tools/cold-start.ts [samples])
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { deploymentEvent, invocationPayload, APP, PROFILE, SECRET } from '@flotilla/appconfig-contract/testing';
import { bundle } from './bundle';
import { FakeAws } from './fake-aws';
import { runBundle, type BundleRun } from '@flotilla/lambda-build';
import { readZip } from '@flotilla/lambda-build';

async function main(samples: number): Promise<void> {
  const scratch = mkdtempSync(path.join(tmpdir(), 'appconfig-sync-cold-'));
  const fake = new FakeAws();
  try {
    const built = await bundle({ outDir: path.join(scratch, 'out'), writeArtifactJson: false });
    const dir = path.join(scratch, 'unpacked');
    mkdirSync(dir);
    for (const entry of readZip(built.zip)) writeFileSync(path.join(dir, entry.name), entry.data);
    await fake.start();
    fake.profiles.set(`${APP}/${PROFILE}`, { locationUri: 'hosted' });
    fake.hosted.set(`${APP}/${PROFILE}/1`, { content: '{"cold":"start"}', contentType: 'application/json' });
    const runs: BundleRun[] = [];
    for (let i = 0; i < samples; i++) {
      fake.secrets.set(SECRET, { versions: [] });
      const run = await runBundle(path.join(dir, 'index.js'), invocationPayload(deploymentEvent({ deploymentNumber: i + 1, version: '1' })), fake.sdkEnvironment());
      if (run.error || (run.result as { status?: string }).status !== 'written') throw new Error(`cold-start: sample ${i} failed: ${JSON.stringify(run.error ?? run.result)}`);
      runs.push(run);
    }
    const median = (pick: (r: BundleRun) => number) => {
      const sorted = runs.map(pick).sort((a, b) => a - b);
      return sorted[Math.floor(sorted.length / 2)]!.toFixed(1);
    };
    process.stdout.write(
      [
        `appconfig-sync cold start, ${samples} fresh ${runs[0]!.node} processes, median ms:`,
        `  process start → bundle loaded (init): ${median((r) => r.initMs)}`,
        `  require(bundle) alone:                ${median((r) => r.importMs)}`,
        `  first invocation (5 HTTP calls):      ${median((r) => r.invokeMs)}`,
        `  spawn → exit (wall):                  ${median((r) => r.wallMs)}`,
        `  zip ${built.artifact.size} bytes, index.js ${built.artifact.unpackedSize} bytes`,
        '',
      ].join('\n'),
    );
  } finally {
    await fake.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

main(Number(process.argv[2] ?? 15)).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});

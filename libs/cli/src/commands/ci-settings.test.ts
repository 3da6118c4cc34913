import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CiRunner, type Fleet } from '@flotilla/config';
import { fixtureCluster } from '@flotilla/core/testing';
import type { FleetHost } from '../lib/command';
import { captureIo, repoRoot } from '../testing';
import { ciSettingsCommand } from './ci-settings';

// GIVEN a fleet of two clusters in their own accounts, one of them receiving the built images
const dev = fixtureCluster('dev', [], { account: '111111111111', region: 'eu-north-1', artifacts: { bucket: 'artifacts-dev', prefix: 'lambda' } });
const prod = fixtureCluster('prod', [], { account: '222222222222', region: 'eu-west-1', environment: 'prod', artifacts: { bucket: 'artifacts-prod' } });
const host = (fleet: Fleet): FleetHost => ({ loadFleet: async () => fleet, fleetSource: 'apps/fleet', policiesDir: join(repoRoot, 'policies') });
const settings = async (fleet: Fleet, ...args: string[]) => {
  const io = captureIo({ cwd: repoRoot, host: host(fleet) });
  const code = await ciSettingsCommand.run(args, io);
  return { code, out: io.stdout() };
};
const settingsIn = async (cwd: string, fleet: Fleet, ...args: string[]) => {
  const io = captureIo({ cwd, host: host(fleet) });
  const code = await ciSettingsCommand.run(args, io);
  return { code, out: io.stdout() };
};
const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
});

describe('flotilla ci-settings', () => {
  it('prints the image build settings of the named cluster, with the CodeBuild label of this run', async () => {
    const output = join(mkdtempSync(join(tmpdir(), 'flotilla-ci-')), 'output');
    Object.assign(process.env, { GITHUB_OUTPUT: output, GITHUB_RUN_ID: '77', GITHUB_RUN_ATTEMPT: '1' });
    const { code, out } = await settings({ clusters: [dev, prod], ci: { imageBuild: { cluster: 'prod', runner: CiRunner.codebuild('images') } } }, 'image-build', '--github-output');
    expect(code).toBe(0);
    expect(out).toBe(
      [
        'runs-on=codebuild-images-77-1',
        'cluster=prod',
        'stage=prod',
        'region=eu-west-1',
        'role=arn:aws:iam::222222222222:role/prod-github-ci',
        'registry=222222222222.dkr.ecr.eu-west-1.amazonaws.com',
        'signing-profile=arn:aws:signer:eu-west-1:222222222222:/signing-profiles/flotilla_images',
        '',
      ].join('\n'),
    );
    expect(readFileSync(output, 'utf8')).toBe(out);
    rmSync(output);
  });

  it('lists one upload per cluster with a bucket and Lambda app, keys under the cluster prefix', async () => {
    const { out } = await settings({ clusters: [dev, { ...prod, artifacts: undefined }] }, 'artifacts');
    const matrix = JSON.parse(out.replace(/^matrix=/, '')) as Record<string, string>[];
    expect(matrix.map((entry) => [entry.cluster, entry.app, entry.bucket])).toEqual([
      ['dev', 'appconfig-sync', 'artifacts-dev'],
      ['dev', 'policy-findings', 'artifacts-dev'],
    ]);
    expect(matrix[0]).toMatchObject({ key: expect.stringMatching(/^lambda\/appconfig-sync-[0-9a-f]{16}\.zip$/), 'signed-key': expect.stringMatching(/^lambda\/signed\/appconfig-sync-/), 'signed-file': expect.stringMatching(/^signed-packages\/dev\/appconfig-sync-[0-9a-f]{16}\.zip$/), 'signing-profile': 'flotilla_lambda' });
  });

  it('fails without CI settings, on an unknown workflow, and on a CodeBuild label outside Actions', async () => {
    await expect(settings({ clusters: [dev] }, 'image-build')).rejects.toThrow(/the fleet declares no CI settings; add ci: \{ imageBuild/);
    await expect(settings({ clusters: [dev] }, 'deploy')).rejects.toThrow(/takes one workflow, image-build or artifacts or appconfig-schemas; got 'deploy'/);
    const output = join(mkdtempSync(join(tmpdir(), 'flotilla-ci-')), 'output');
    process.env.GITHUB_OUTPUT = output;
    delete process.env.GITHUB_RUN_ID;
    await expect(settings({ clusters: [dev], ci: { imageBuild: { cluster: 'dev', runner: CiRunner.codebuild('images') } } }, 'image-build', '--github-output')).rejects.toThrow(/needs GITHUB_RUN_ID and GITHUB_RUN_ATTEMPT/);
  });

  it('lists the AppConfig schemas the committed render pulls, per cluster with a CI role, with the create-secret token', async () => {
    const schemaFile = (cluster: string) => {
      const dir = join(repoRoot, 'clusters', cluster, 'infra-configs/appconfig-sync-platform');
      return join(dir, readdirSync(dir).find((file) => file.startsWith('ExternalSecret.') && file.endsWith('-appconfig-schema.yaml'))!);
    };
    const committed = readFileSync(schemaFile('dev'), 'utf8');
    const key = /key: (flotilla\/appconfig\/\S+)/.exec(committed)![1];
    const { code, out } = await settings({ clusters: [dev, { ...prod, artifacts: undefined }] }, 'appconfig-schemas');
    expect(code).toBe(0);
    const matrix = JSON.parse(out.replace(/^matrix=/, '')) as Record<string, string>[];
    expect(matrix.map((entry) => [entry.cluster, entry.region, entry.role, entry.name, entry.tag])).toEqual([
      ['dev', 'eu-north-1', 'arn:aws:iam::111111111111:role/dev-github-ci', key, 'Key=tenant,Value=platform'],
    ]);
    const entry = matrix[0]!;
    expect(entry.token).toBe(createHash('sha256').update(entry.schema!).digest('hex'));
    expect(entry.name!.endsWith(`schema-${entry.token!.slice(0, 16)}`)).toBe(true);
    expect(JSON.parse(entry.schema!)).toMatchObject({ type: 'object', required: ['message', 'logLevel', 'pageSize'] });

    // a schema edited in the render without its name: nothing is published, the error says what to do
    const copy = mkdtempSync(join(tmpdir(), 'flotilla-schemas-'));
    mkdirSync(join(copy, 'clusters/dev/infra-configs/appconfig-sync-platform'), { recursive: true });
    cpSync(schemaFile('dev'), join(copy, 'clusters/dev/infra-configs/appconfig-sync-platform/ExternalSecret.x.yaml'));
    const target = join(copy, 'clusters/dev/infra-configs/appconfig-sync-platform/ExternalSecret.x.yaml');
    writeFileSync(target, readFileSync(target, 'utf8').replace('\\"maxLength\\":200', '\\"maxLength\\":300'));
    await expect(settingsIn(copy, { clusters: [dev] }, 'appconfig-schemas')).rejects.toThrow(/is not the content-addressed name of the schema this object carries.*npm run synth/);
    rmSync(copy, { recursive: true });
  });
});

import { execFileSync } from 'node:child_process';
import { Size } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { Duration } from '@flotilla/config';
import { renderUnit } from '@flotilla/core';
import { findObject, fixtureCluster } from '@flotilla/core/testing';
import { SchemaValidator } from '@flotilla/validate';
import { karpenter, type KarpenterProps } from './karpenter';
import { modelSyncScript, modelSyncStatements, modelSyncUserData, type NodeModelSyncOptions, USER_DATA_BOUNDARY } from './model-sync';
import { NvidiaDevicePluginSource } from './node-pools-unit';

const cluster = fixtureCluster('dev', []);
const sync: NodeModelSyncOptions = { bucketName: 'imagegen-models-111111111111-eu-north-1', region: 'eu-north-1', prefix: 'models/', hostPath: '/mnt/k8s-disks/0/models', ownerUid: 10001 };
const props = (modelSync?: NodeModelSyncOptions, gpu: Partial<KarpenterProps['nodePools']['gpu']> = {}): KarpenterProps => ({
  controller: {},
  nodePools: { general: { limits: { cpu: 100, memory: Size.gibibytes(400) } }, gpu: { limits: { nvidiaGpus: 4 }, ...(modelSync ? { modelSync } : {}), ...gpu } },
});
const render = (name: string, p: KarpenterProps) => renderUnit(karpenter(p).find((u) => u.name === name)!, cluster);

/** The parts of a MIME multi-part document: each part's headers and body. */
function mimeParts(document: string): { headers: string[]; body: string }[] {
  const [head, ...rest] = document.split(`\n--${USER_DATA_BOUNDARY}`);
  expect(head).toBe(`MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="${USER_DATA_BOUNDARY}"\n`);
  expect(rest.at(-1)).toBe('--\n');
  return rest.slice(0, -1).map((part) => {
    const [headers, body] = [part.slice(1, part.indexOf('\n\n')), part.slice(part.indexOf('\n\n') + 2)];
    return { headers: headers.split('\n'), body };
  });
}

describe('GPU pool model sync', () => {
  it('puts a nodeadm MIME multi-part user data with one shell-script part on the GPU EC2NodeClass only', () => {
    const objects = render('karpenter.nodepools', props(sync));
    const spec = (name: string) => findObject(objects, 'EC2NodeClass', name).spec as { userData?: string };
    const userData = spec('gpu').userData!;
    expect(spec('default').userData).toBeUndefined();
    const parts = mimeParts(userData);
    expect(parts).toHaveLength(1);
    expect(parts[0]!.headers).toEqual(['Content-Type: text/x-shellscript; charset="us-ascii"']);
    expect(parts[0]!.body).toBe(modelSyncScript(sync));
    const rendered = objects.map((object, index) => ({ file: `karpenter.nodepools/${index}`, index, object }));
    expect(SchemaValidator.load().validate(rendered).filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('the script is valid bash (bash -n) that waits for the instance store, owns the directory by the pod uid, syncs before the kubelet and installs the re-sync timer', () => {
    const script = modelSyncScript({ ...sync, interval: Duration.minutes(15) });
    execFileSync('bash', ['-n'], { input: script });
    const lines = script.split('\n');
    const at = (needle: string) => lines.findIndex((line) => line.includes(needle));
    expect(lines[0]).toBe('#!/bin/bash');
    expect(at('mountpoint -q /mnt/k8s-disks/0 && break')).toBeGreaterThan(0);
    expect(lines).toContain('install -d -m 0755 -o 10001 -g 10001 /mnt/k8s-disks/0/models');
    expect(lines).toContain('aws s3 sync --region eu-north-1 --no-progress --only-show-errors --delete s3://imagegen-models-111111111111-eu-north-1/models/ /mnt/k8s-disks/0/models');
    expect(lines).toContain('chown -R 10001:10001 /mnt/k8s-disks/0/models');
    expect(lines).toContain('OnUnitActiveSec=900s');
    // the first sync runs in the boot script itself, then the timer takes over
    expect(at('/usr/local/bin/flotilla-model-sync')).toBeLessThan(at('systemctl enable --now flotilla-model-sync.timer'));
    expect(lines.at(-2)).toBe('systemctl enable --now flotilla-model-sync.timer');
    expect(lines.at(-3)).toBe('/usr/local/bin/flotilla-model-sync');
    // the heredocs are quoted: nothing in them expands on the node
    expect(script.match(/<<'(SCRIPT|UNIT)'/g)).toHaveLength(3);
    expect(modelSyncUserData(sync)).toBe(modelSyncUserData(sync));
  });

  it('gives the node role read-only access to the synced prefix of that bucket and nothing else', () => {
    expect(modelSyncStatements('aws', sync)).toEqual([
      { sid: 'ListModels', actions: ['s3:ListBucket'], resources: ['arn:aws:s3:::imagegen-models-111111111111-eu-north-1'], conditions: { StringLike: { 's3:prefix': ['models/*'] } } },
      { sid: 'ReadModels', actions: ['s3:GetObject'], resources: ['arn:aws:s3:::imagegen-models-111111111111-eu-north-1/models/*'] },
    ]);
    const role = findObject(render('karpenter.identity', props(sync)), 'Role', 'karpenter-node') as unknown as { spec: { inlinePolicies: Record<string, string> } };
    const policy = JSON.parse(role.spec.inlinePolicies['model-sync']);
    expect(policy.Statement.flatMap((s: { Action: string[] }) => s.Action)).toEqual(['s3:ListBucket', 's3:GetObject']);
    expect(Object.keys(role.spec.inlinePolicies)).toEqual(['model-sync']);
    expect((findObject(render('karpenter.identity', props()), 'Role', 'karpenter-node') as unknown as { spec: object }).spec).not.toHaveProperty('inlinePolicies');
  });

  it.each([
    [{ hostPath: '/var/lib/models' }, /modelSync.hostPath '\/var\/lib\/models' must be a directory below the instance store \/mnt\/k8s-disks\/0/],
    [{ hostPath: '/mnt/k8s-disks/0/../etc' }, /must be a directory below the instance store/],
    [{ prefix: 'models' }, /modelSync.prefix 'models' must be empty or path segments .* each ending in '\/'/],
    [{ prefix: 'a b/' }, /modelSync.prefix 'a b\/'/],
    [{ bucketName: 'Models;rm' }, /modelSync.bucketName 'Models;rm' is not a valid S3 bucket name/],
    [{ ownerUid: 0 }, /modelSync.ownerUid 0 must be a non-root uid/],
    [{ interval: Duration.seconds(10) }, /modelSync.interval is 10s; use 1 minute to 24 hours/],
  ] as const)('fails for %o, naming the field and the fix', (override, message) => {
    expect(() => modelSyncScript({ ...sync, ...override })).toThrow(message);
  });

  it('fails on a Bottlerocket GPU class (TOML user data) and when the node role is not created here', () => {
    expect(() => render('karpenter.nodepools', props(sync, { nvidiaDevicePlugin: NvidiaDevicePluginSource.BOTTLEROCKET }))).toThrow(
      /gpu.modelSync needs an AL2023 GPU class .* but gpu.nvidiaDevicePlugin is BOTTLEROCKET/,
    );
    expect(() => render('karpenter.identity', { ...props(sync), controller: { createNodeRole: false, nodeRoleName: 'baseline-node' } })).toThrow(
      /modelSync needs read access for the node role 'baseline-node' to s3:\/\/imagegen-models-111111111111-eu-north-1, but createNodeRole is false/,
    );
  });
});

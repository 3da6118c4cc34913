import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { configMapUnit, fixtureCluster } from '../testing/fixture-fleet';
import { bootstrapSyncObjects, fluxSystemKustomization, unitKustomizations } from './flux-layout';
import { emitYaml } from './yaml-emitter';

const CONTROLLERS = [
  'source-controller',
  'kustomize-controller',
  'helm-controller',
  'notification-controller',
  'image-reflector-controller',
  'image-automation-controller',
];

/** The controller Deployments as `flux install` shapes them (args list on container 0), standing in for gotk-components.yaml. */
function componentsFixture(): string {
  return CONTROLLERS.map((name) =>
    emitYaml({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: 'flux-system' },
      spec: {
        selector: { matchLabels: { app: name } },
        template: {
          metadata: { labels: { app: name } },
          spec: { serviceAccountName: name, containers: [{ name: 'manager', image: `ghcr.io/fluxcd/${name}:v1`, args: ['--log-level=info'] }] },
        },
      },
    }),
  ).join('---\n');
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function kustomizeBuild(kustomization: Record<string, unknown>, cluster: Parameters<typeof bootstrapSyncObjects>[0]): Record<string, any>[] {
  const dir = mkdtempSync(join(tmpdir(), 'flux-lockdown-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'kustomization.yaml'), emitYaml(kustomization));
  writeFileSync(join(dir, 'gotk-components.yaml'), componentsFixture());
  writeFileSync(join(dir, 'gotk-sync.yaml'), bootstrapSyncObjects(cluster).map(emitYaml).join('---\n'));
  const output = execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8' });
  return parseAllDocuments(output).map((doc) => doc.toJS());
}

describe('flux-system lockdown patches', () => {
  const units = [configMapUnit('karpenter', 'infra-controllers', {}), configMapUnit('web', 'apps', {}, { flux: { serviceAccountName: 'flux-team-a', targetNamespace: 'team-a' } })];

  it('adds the flux2-multi-tenancy flags to the controllers and names kustomize-controller on the root Kustomization (kubectl kustomize)', () => {
    const cluster = fixtureCluster('dev', units);
    const built = kustomizeBuild(fluxSystemKustomization(cluster), cluster);
    const args = new Map(built.filter((o) => o.kind === 'Deployment').map((o) => [o.metadata.name, o.spec.template.spec.containers[0].args]));
    expect(args.get('kustomize-controller')).toEqual([
      '--log-level=info',
      '--no-cross-namespace-refs=true',
      '--no-remote-bases=true',
      '--default-service-account=default',
    ]);
    for (const name of ['helm-controller', 'notification-controller', 'image-reflector-controller', 'image-automation-controller']) {
      expect(args.get(name)).toEqual(['--log-level=info', '--no-cross-namespace-refs=true']);
    }
    expect(args.get('source-controller')).toEqual(['--log-level=info']);
    const root = built.find((o) => o.kind === 'Kustomization' && o.metadata.name === 'flux-system');
    expect(root!.spec.serviceAccountName).toBe('kustomize-controller');
  });

  it('puts the default service account on helm-controller too when the cluster asks for it', () => {
    const cluster = fixtureCluster('dev', units, { fluxLockdown: { defaultServiceAccount: { name: 'default', controllers: ['helm-controller', 'kustomize-controller'] } } });
    const built = kustomizeBuild(fluxSystemKustomization(cluster), cluster);
    const helm = built.find((o) => o.kind === 'Deployment' && o.metadata.name === 'helm-controller');
    expect(helm!.spec.template.spec.containers[0].args).toEqual(['--log-level=info', '--no-cross-namespace-refs=true', '--default-service-account=default']);
  });

  it('names the controller account on platform units only, so they do not fall back to the default account', () => {
    const byName = new Map(unitKustomizations(fixtureCluster('dev', units)).map((k) => [k.metadata.name, k.spec as Record<string, unknown>]));
    expect(byName.get('karpenter')!.serviceAccountName).toBe('kustomize-controller');
    expect(byName.get('web')!.serviceAccountName).toBe('flux-team-a');
  });

  it('renders no patches and no platform account when the cluster turns the lockdown off', () => {
    const cluster = fixtureCluster('dev', units, { fluxLockdown: false });
    expect(fluxSystemKustomization(cluster)).toEqual({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: ['gotk-components.yaml', 'gotk-sync.yaml'],
    });
    const karpenter = unitKustomizations(cluster).find((k) => k.metadata.name === 'karpenter')!;
    expect((karpenter.spec as Record<string, unknown>).serviceAccountName).toBeUndefined();
  });
});

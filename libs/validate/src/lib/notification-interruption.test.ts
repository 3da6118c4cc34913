import { describe, expect, it } from 'vitest';
import type { KubeObject, RenderedObject } from '@flotilla/model';
import { checkReferences } from './references';

function at(file: string, object: Record<string, unknown>, cluster = 'prod'): RenderedObject {
  return { file, index: 0, object: object as unknown as KubeObject, cluster };
}
const MINE = ['ref/interruption-queue-mismatch', 'ref/missing-provider', 'ref/missing-event-source', 'ref/empty-event-source', 'ref/unalerted-flux-object'];
/** Findings of the checks under test (fixtures leave out Namespaces, which other checks report). */
const codes = (findings: ReturnType<typeof checkReferences>, prefix: string) => findings.filter((f) => MINE.includes(f.code) && f.code.startsWith(prefix));

const QUEUE_ARN = 'arn:aws:sqs:eu-north-1:222222222222:prod-karpenter-interruption';
const karpenter = (queue?: string) =>
  at('clusters/prod/infra-controllers/karpenter/HelmRelease_karpenter.yaml', {
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    metadata: { name: 'karpenter', namespace: 'karpenter' },
    spec: { values: { settings: { clusterName: 'prod', ...(queue ? { interruptionQueue: queue } : {}) } } },
  });
const rule = (arn: string) =>
  at('clusters/prod/infra-configs/karpenter.interruption/Rule_karpenter_interruption-spot-interruption.yaml', {
    apiVersion: 'eventbridge.services.k8s.aws/v1alpha1',
    kind: 'Rule',
    metadata: { name: 'interruption-spot-interruption', namespace: 'karpenter' },
    spec: { name: 'prod-karpenter-interruption-spot-interruption', targets: [{ id: 'KarpenterInterruptionQueueTarget', arn }] },
  });

describe('interruption queue check', () => {
  it('passes a rule that targets the queue Karpenter reads, and ignores non-SQS targets', () => {
    const lambda = rule('arn:aws:lambda:eu-north-1:222222222222:function:sync');
    expect(codes(checkReferences([karpenter('prod-karpenter-interruption'), rule(QUEUE_ARN), lambda]), 'ref/interruption')).toEqual([]);
  });

  it('fails a rule that targets another queue, naming the field, the queue Karpenter reads and the fix', () => {
    const findings = codes(checkReferences([karpenter('prod-karpenter-interruption'), rule('arn:aws:sqs:eu-north-1:222222222222:prod-other')]), 'ref/interruption');
    expect(findings).toEqual([
      {
        severity: 'error',
        code: 'ref/interruption-queue-mismatch',
        file: 'clusters/prod/infra-configs/karpenter.interruption/Rule_karpenter_interruption-spot-interruption.yaml',
        object: 'Rule karpenter/interruption-spot-interruption',
        cluster: 'prod',
        path: 'spec.targets[0].arn',
        message: 'targets SQS queue prod-other, but Karpenter in cluster prod reads prod-karpenter-interruption (HelmRelease karpenter/karpenter settings.interruptionQueue), so these events are never handled',
        fix: `point the target at ${QUEUE_ARN}, or set Karpenter's settings.interruptionQueue to prod-other`,
      },
    ]);
  });

  it('fails a queue target when Karpenter reads no queue in that cluster (a queue in another cluster does not count)', () => {
    const otherCluster = { ...karpenter('prod-karpenter-interruption'), cluster: 'dev' };
    const findings = codes(checkReferences([karpenter(), otherCluster, rule(QUEUE_ARN)]), 'ref/interruption');
    expect(findings.map((f) => [f.cluster, f.message])).toEqual([['prod', 'targets SQS queue prod-karpenter-interruption, but no Karpenter HelmRelease in cluster prod sets settings.interruptionQueue, so nothing reads the events']]);
  });
});

const provider = (name: string, namespace = 'flux-system') =>
  at(`clusters/prod/infra-configs/flux-notifications/Provider_${namespace}_${name}.yaml`, {
    apiVersion: 'notification.toolkit.fluxcd.io/v1beta3',
    kind: 'Provider',
    metadata: { name, namespace },
    spec: { type: 'github', address: 'https://github.com/example-org/flotilla-fleet', secretRef: { name: 'github-token' } },
  });
const alert = (providerName: string, eventSources: Record<string, unknown>[]) =>
  at('clusters/prod/infra-configs/flux-notifications/Alert_flux-system_commit-status.yaml', {
    apiVersion: 'notification.toolkit.fluxcd.io/v1beta3',
    kind: 'Alert',
    metadata: { name: 'commit-status', namespace: 'flux-system' },
    spec: { providerRef: { name: providerName }, eventSources },
  });
const kustomization = (name: string) =>
  at(`clusters/prod/sync/Kustomization_${name}.yaml`, { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name, namespace: 'flux-system' }, spec: {} });
const helmRelease = (name: string, namespace: string) =>
  at(`clusters/prod/infra-controllers/${name}/HelmRelease_${namespace}_${name}.yaml`, { apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', metadata: { name, namespace }, spec: {} });

describe('Flux notification references', () => {
  const fleet = [provider('github-commit-status'), kustomization('karpenter'), kustomization('teams'), helmRelease('karpenter', 'karpenter')];

  it('passes an Alert whose Provider exists and whose sources are * with objects or existing names', () => {
    const ok = alert('github-commit-status', [
      { kind: 'Kustomization', name: '*' },
      { kind: 'HelmRelease', name: '*', namespace: 'karpenter' },
      { kind: 'Kustomization', name: 'teams' },
    ]);
    expect(codes(checkReferences([...fleet, ok]), 'ref/')).toEqual([]);
  });

  it('fails an Alert whose Provider is missing, suggesting the close one', () => {
    const findings = codes(checkReferences([...fleet, alert('github-comit-status', [{ kind: 'Kustomization', name: '*' }])]), 'ref/missing');
    expect(findings).toEqual([
      expect.objectContaining({
        code: 'ref/missing-provider',
        object: 'Alert flux-system/commit-status',
        path: 'spec.providerRef.name',
        message: "Provider flux-system/github-comit-status does not exist in cluster prod; the Alert's events go nowhere (an Alert can only use a Provider in its own namespace)",
        fix: 'did you mean "github-commit-status"? (Providers in flux-system: github-commit-status)',
      }),
    ]);
  });

  it('fails a Provider of the same name in another namespace: Alerts only see their own', () => {
    const findings = codes(checkReferences([provider('chat', 'monitoring'), kustomization('teams'), alert('chat', [{ kind: 'Kustomization', name: '*' }])]), 'ref/');
    expect(findings.map((f) => [f.code, f.fix])).toEqual([['ref/missing-provider', 'add a Provider named chat in flux-system']]);
  });

  it('fails an event source with a typo in its name, and a * in a namespace without objects of that kind', () => {
    const findings = codes(
      checkReferences([
        ...fleet,
        alert('github-commit-status', [
          { kind: 'Kustomization', name: 'tems' },
          { kind: 'HelmRelease', name: '*', namespace: 'karpentr' },
        ]),
      ]),
      'ref/',
    ).filter((f) => f.severity === 'error');
    expect(findings.map((f) => [f.code, f.path, f.message, f.fix])).toEqual([
      ['ref/missing-event-source', 'spec.eventSources[0].name', 'Kustomization flux-system/tems does not exist in cluster prod, so the Alert never reports it', 'did you mean "teams"?'],
      [
        'ref/empty-event-source',
        'spec.eventSources[1]',
        'event source HelmRelease/* in namespace karpentr matches no object in cluster prod, so the Alert never fires for it',
        'set namespace to one that has HelmReleases (karpenter) or remove the event source',
      ],
    ]);
  });

  it('warns about a HelmRelease no Alert covers, and says nothing in a cluster without Alerts', () => {
    const alerted = alert('github-commit-status', [{ kind: 'Kustomization', name: '*' }]);
    const findings = codes(checkReferences([...fleet, alerted]), 'ref/');
    expect(findings.map((f) => [f.severity, f.code, f.object, f.fix])).toEqual([
      ['warning', 'ref/unalerted-flux-object', 'HelmRelease karpenter/karpenter', "add an event source { kind: HelmRelease, name: '*', namespace: karpenter } to an Alert (fluxNotifications helmReleaseNamespaces)"],
    ]);
    expect(codes(checkReferences(fleet), 'ref/')).toEqual([]);
  });
});

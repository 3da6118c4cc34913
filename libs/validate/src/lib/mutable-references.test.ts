import { describe, expect, it } from 'vitest';
import type { MutableReferenceException } from '@flotilla/config';
import type { KubeObject, RenderedObject } from '@flotilla/model';
import { checkMutableReferences } from './mutable-references';

const DIGEST = `sha256:${'c'.repeat(64)}`;
const COMMIT = '8bb74df00e56ec8f944d48c25e6c1c9c2f6848e3';
const KEYLESS = { provider: 'cosign', matchOIDCIdentity: [{ issuer: '^https://token\\.actions\\.githubusercontent\\.com$', subject: '^https://github\\.com/org/repo/.+$' }] };

let index = 0;
const at = (file: string, object: Record<string, unknown>): RenderedObject => ({ file: `clusters/prod/${file}`, index: index++, cluster: 'prod', object: object as unknown as KubeObject });

const oci = (ref: Record<string, string>, verify?: object) =>
  at('infra-controllers/karpenter/OCIRepository.yaml', {
    apiVersion: 'source.toolkit.fluxcd.io/v1',
    kind: 'OCIRepository',
    metadata: { name: 'karpenter', namespace: 'karpenter' },
    spec: { url: 'oci://public.ecr.aws/karpenter/karpenter', ref, ...(verify ? { verify } : {}) },
  });
const git = (ref: Record<string, string>) =>
  at('infra-controllers/kong.gateway-api/GitRepository.yaml', {
    apiVersion: 'source.toolkit.fluxcd.io/v1',
    kind: 'GitRepository',
    metadata: { name: 'gateway-api', namespace: 'flux-system' },
    spec: { url: 'https://github.com/kubernetes-sigs/gateway-api', ref },
  });
const httpsChart = () => [
  at('infra-controllers/gatekeeper/HelmRepository.yaml', {
    apiVersion: 'source.toolkit.fluxcd.io/v1',
    kind: 'HelmRepository',
    metadata: { name: 'gatekeeper', namespace: 'gatekeeper-system' },
    spec: { url: 'https://open-policy-agent.github.io/gatekeeper/charts' },
  }),
  at('infra-controllers/gatekeeper/HelmRelease.yaml', {
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    metadata: { name: 'gatekeeper', namespace: 'gatekeeper-system' },
    spec: { chart: { spec: { chart: 'gatekeeper', version: '3.23.0', sourceRef: { kind: 'HelmRepository', name: 'gatekeeper' } } } },
  }),
];
const ociChartRelease = (values: object = {}) =>
  at('infra-controllers/kong/HelmRelease.yaml', {
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    metadata: { name: 'kong', namespace: 'kong' },
    spec: { chartRef: { kind: 'OCIRepository', name: 'kong' }, values },
  });
const provider = (pkg: string) =>
  at('infra-controllers/crossplane.provider-aws-iam/Provider.yaml', { apiVersion: 'pkg.crossplane.io/v1', kind: 'Provider', metadata: { name: 'provider-aws-iam' }, spec: { package: pkg } });
const nodeClass = (name: string, alias: string) =>
  at(`infra-configs/karpenter.nodepools/EC2NodeClass_${name}.yaml`, { apiVersion: 'karpenter.k8s.aws/v1', kind: 'EC2NodeClass', metadata: { name }, spec: { amiSelectorTerms: [{ alias }] } });
const ratifyPlugin = (artifact: string) =>
  at('infra-configs/signing.image-verification/Verifier.yaml', {
    apiVersion: 'config.ratify.deislabs.io/v1beta1',
    kind: 'Verifier',
    metadata: { name: 'aws-signer-plugin' },
    spec: { name: 'notation-com.amazonaws.signer.notation.plugin', artifactTypes: 'application/vnd.oci.image.manifest.v1+json', source: { artifact } },
  });
const delivery = (verify?: object) =>
  at('flux-system/gotk-sync.yaml', {
    apiVersion: 'source.toolkit.fluxcd.io/v1',
    kind: 'OCIRepository',
    metadata: { name: 'flux-system', namespace: 'flux-system' },
    spec: { url: 'oci://222222222222.dkr.ecr.eu-north-1.amazonaws.com/flotilla/prod', ref: { tag: 'prod' }, ...(verify ? { verify } : {}) },
  });

const prod = (exceptions: MutableReferenceException[] = []) => ({ stage: 'prod', immutable: true, exceptions });
const check = (objects: RenderedObject[], exceptions: MutableReferenceException[] = [], now = new Date('2026-12-05T00:00:00Z')) =>
  checkMutableReferences('prod', objects, prod(exceptions), { complete: true, now });
const summary = (objects: RenderedObject[], exceptions: MutableReferenceException[] = [], now?: Date) =>
  check(objects, exceptions, now).map((finding) => `${finding.code} ${finding.object ?? ''} ${finding.path ?? ''}`.trim());

describe('mutable references on an immutable stage', () => {
  it.each([
    ['an OCI source by tag', [oci({ tag: '1.14.1' })], [oci({ tag: '1.14.1', digest: DIGEST })], 'OCIRepository karpenter/karpenter spec.ref.tag'],
    ['an OCI source by a semver range, even verified', [oci({ semver: '>=1.14.0' }, KEYLESS)], [oci({ tag: '1.14.1' }, KEYLESS)], 'OCIRepository karpenter/karpenter spec.ref.semver'],
    ['a Git source by tag', [git({ tag: 'v1.6.1' })], [git({ commit: COMMIT })], 'GitRepository flux-system/gateway-api spec.ref.tag'],
    ['a chart from an HTTPS Helm repository', httpsChart(), [ociChartRelease()], 'HelmRelease gatekeeper-system/gatekeeper spec.chart.spec.version'],
    ['a Crossplane package by tag', [provider('xpkg.upbound.io/upbound/provider-aws-iam:v2.6.0')], [provider(`xpkg.upbound.io/upbound/provider-aws-iam:v2.6.0@${DIGEST}`)], 'Provider provider-aws-iam spec.package'],
    [
      'an image set in chart values by tag',
      [ociChartRelease({ ingressController: { image: { repository: 'kong/kubernetes-ingress-controller', tag: '3.5.13' } } })],
      [ociChartRelease({ ingressController: { image: { repository: 'kong/kubernetes-ingress-controller', tag: '3.5.13', digest: DIGEST } } })],
      'HelmRelease kong/kong spec.values.ingressController.image.tag',
    ],
    ['an AMI alias on @latest', [nodeClass('gpu', 'al2023@latest')], [nodeClass('gpu', 'al2023@v20251120')], 'EC2NodeClass gpu spec.amiSelectorTerms[0].alias'],
    [
      'a Ratify verifier plugin by tag',
      [ratifyPlugin('public.ecr.aws/aws-signer/notation-plugin:linux-amd64-latest')],
      [ratifyPlugin(`public.ecr.aws/aws-signer/notation-plugin@${DIGEST}`)],
      'Verifier aws-signer-plugin spec.source.artifact',
    ],
    ['an unverified delivery source', [delivery()], [delivery({ provider: 'cosign', secretRef: { name: 'cosign-public-key' } })], 'OCIRepository flux-system/flux-system spec.verify'],
  ] as const)('fails on %s, and passes once it is pinned', (_what, before, after, where) => {
    expect(summary([...before])).toEqual([`supply-chain/mutable-reference ${where}`]);
    expect(summary([...after])).toEqual([]);
  });

  it('checks every node class, the GPU pool included', () => {
    expect(summary([nodeClass('default', 'al2023@latest'), nodeClass('gpu', 'al2023@latest')])).toEqual([
      'supply-chain/mutable-reference EC2NodeClass default spec.amiSelectorTerms[0].alias',
      'supply-chain/mutable-reference EC2NodeClass gpu spec.amiSelectorTerms[0].alias',
    ]);
  });

  it('names the cluster, file, object, field and the fix, with the exception to add when it cannot be pinned yet', () => {
    const [finding] = check([git({ tag: 'v1.6.1' })]);
    expect(finding).toMatchObject({
      severity: 'error',
      cluster: 'prod',
      file: 'clusters/prod/infra-controllers/kong.gateway-api/GitRepository.yaml',
      object: 'GitRepository flux-system/gateway-api',
      path: 'spec.ref.tag',
      message: "cluster 'prod' is on immutable stage 'prod', but this Git source 'https://github.com/kubernetes-sigs/gateway-api@v1.6.1' can change under the same name",
    });
    expect(finding!.fix).toContain("pin the commit the ref points at (spec.ref.commit, e.g. 'git rev-parse v1.6.1^{commit}')");
    expect(finding!.fix).toContain("add { reference: 'https://github.com/kubernetes-sigs/gateway-api@v1.6.1', reason, reviewedBy, expires }");
  });

  it('lets dev float: a mutable stage reports nothing', () => {
    const everything = [oci({ tag: '1.14.1' }), git({ branch: 'main' }), ...httpsChart(), provider('xpkg.upbound.io/upbound/provider-aws-iam:v2.6.0'), nodeClass('default', 'al2023@latest'), delivery()];
    expect(checkMutableReferences('dev', everything, { stage: 'dev', immutable: false, exceptions: [] }, { complete: true })).toEqual([]);
    expect(checkMutableReferences('dev', everything, undefined)).toEqual([]);
  });

  describe('the reviewed exception list', () => {
    const exception = (expires?: string): MutableReferenceException => ({
      reference: 'oci://public.ecr.aws/aws-controllers-k8s/iam-chart:1.8.1',
      reason: 'ACK charts are unsigned and the digest was not readable offline',
      reviewedBy: '@flotilla/platform',
      ...(expires ? { expires } : {}),
    });
    const ackIam = () =>
      at('infra-controllers/ack.iam/OCIRepository.yaml', {
        apiVersion: 'source.toolkit.fluxcd.io/v1',
        kind: 'OCIRepository',
        metadata: { name: 'ack-iam-controller', namespace: 'ack-system' },
        spec: { url: 'oci://public.ecr.aws/aws-controllers-k8s/iam-chart', ref: { tag: '1.8.1' } },
      });

    it('accepts a listed reference until its expiry day, inclusive', () => {
      expect(summary([ackIam()], [exception('2026-12-05')])).toEqual([]);
      expect(summary([ackIam()], [exception()])).toEqual([]);
    });

    it('fails on an expired exception, naming who reviewed it', () => {
      const [finding] = check([ackIam()], [exception('2026-12-04')]);
      expect(finding).toMatchObject({ code: 'supply-chain/exception-expired', path: 'spec.ref.tag', object: 'OCIRepository ack-system/ack-iam-controller' });
      expect(finding!.message).toContain('(reviewed by @flotilla/platform) expired on 2026-12-04');
    });

    it('fails on an exception the cluster does not use, but only when the whole cluster was checked', () => {
      expect(summary([oci({ tag: '1.14.1', digest: DIGEST })], [exception()])).toEqual(['supply-chain/exception-unused']);
      expect(checkMutableReferences('prod', [], prod([exception()]), { complete: false })).toEqual([]);
    });
  });
});

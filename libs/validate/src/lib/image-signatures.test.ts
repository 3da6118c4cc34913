import { describe, expect, it } from 'vitest';
import type { KubeObject, RenderedObject } from '@flotilla/model';
import { checkReferences } from './references';
import { inRegistries, normalizeImage } from './image-signatures';

const ECR = '222222222222.dkr.ecr.eu-north-1.amazonaws.com';
const DIGEST = `sha256:${'a'.repeat(64)}`;

function at(file: string, object: Record<string, unknown>, cluster = 'prod'): RenderedObject {
  return { file, index: 0, object: object as unknown as KubeObject, cluster };
}

/** The constraint the signing unit renders, reduced to what the check reads. */
function imagePolicy(action: 'deny' | 'warn' | 'dryrun', cluster = 'prod', match: Record<string, unknown> = { excludedNamespaces: ['kube-system', 'ratify'] }): RenderedObject {
  return at(
    `clusters/${cluster}/policies/signing.image-policy/FlotillaImageSignatures.constraints.gatekeeper.sh_image-signatures.yaml`,
    {
      apiVersion: 'constraints.gatekeeper.sh/v1beta1',
      kind: 'FlotillaImageSignatures',
      metadata: { name: 'image-signatures' },
      spec: { enforcementAction: action, match: { kinds: [{ apiGroups: [''], kinds: ['Pod'] }], ...match }, parameters: { registries: [ECR] } },
    },
    cluster,
  );
}

function deployment(image: string, namespace = 'team-a', cluster = 'prod'): RenderedObject {
  return at(
    `clusters/${cluster}/apps/web/Deployment_${namespace}_web.yaml`,
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace },
      spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image }] } } },
    },
    cluster,
  );
}

const namespaces = ['team-a', 'kube-system', 'ack-system'].map((name) => at(`clusters/prod/namespaces/Namespace_${name}.yaml`, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }));
const supplyChain = (objects: RenderedObject[]) => checkReferences([...namespaces, ...objects]).filter((f) => f.code?.startsWith('supply-chain/'));

describe('prod images are digests from registries the deny image signature constraint covers', () => {
  it('fails a tag-only image from a covered registry, naming cluster, object, field, image and fix', () => {
    const [finding, ...rest] = supplyChain([imagePolicy('deny'), deployment(`${ECR}/team-a/web:1.0`)]);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      severity: 'error',
      code: 'supply-chain/image-without-digest',
      cluster: 'prod',
      object: 'Deployment team-a/web',
      path: 'spec.template.spec.containers[0].image',
      file: 'clusters/prod/apps/web/Deployment_team-a_web.yaml',
    });
    expect(finding!.message).toContain(`'${ECR}/team-a/web:1.0'`);
    expect(finding!.fix).toMatch(/@sha256:/);
  });

  it('fails a digest image from a registry outside the policy', () => {
    const findings = supplyChain([imagePolicy('deny'), deployment(`public.ecr.aws/nginx/nginx-unprivileged:1.29@${DIGEST}`)]);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ code: 'supply-chain/image-outside-signed-registries', path: 'spec.template.spec.containers[0].image' });
    expect(findings[0]!.message).toContain(`sends to Ratify (${ECR})`);
    expect(findings[0]!.fix).toContain(`mirror it into ${ECR}`);
  });

  it('passes a digest image from a covered registry', () => {
    expect(supplyChain([imagePolicy('deny'), deployment(`${ECR}/team-a/web:1.0@${DIGEST}`)])).toEqual([]);
  });

  it('does not require anything where the constraint only warns or audits (dev, staging)', () => {
    expect(supplyChain([imagePolicy('warn', 'dev'), deployment('nginx:latest', 'team-a', 'dev')])).toEqual([]);
    expect(supplyChain([imagePolicy('dryrun', 'staging'), deployment('nginx:latest', 'team-a', 'staging')])).toEqual([]);
  });

  it('treats a constraint without enforcementAction as deny (Gatekeeper\'s default)', () => {
    const policy = imagePolicy('deny');
    delete (policy.object.spec as Record<string, unknown>).enforcementAction;
    expect(supplyChain([policy, deployment(`${ECR}/team-a/web:1.0`)]).map((f) => f.code)).toEqual(['supply-chain/image-without-digest']);
  });

  it('follows the constraint\'s namespace lists, wildcards included', () => {
    const onlyTeams = imagePolicy('deny', 'prod', { namespaces: ['team-*'] });
    expect(supplyChain([onlyTeams, deployment('nginx:1.29', 'ack-system')])).toEqual([]);
    expect(supplyChain([onlyTeams, deployment('nginx:1.29', 'team-a')]).map((f) => f.code)).toEqual(['supply-chain/image-outside-signed-registries']);
  });

  it('does not require anything in a namespace the policy exempts', () => {
    expect(supplyChain([imagePolicy('deny'), deployment('registry.k8s.io/pause:3.10', 'kube-system')])).toEqual([]);
  });

  it('checks HelmRelease values that spell out a covered registry: they need a digest', () => {
    const release = at('clusters/prod/infra-controllers/x/HelmRelease_x.yaml', {
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      kind: 'HelmRelease',
      metadata: { name: 'x', namespace: 'ack-system' },
      spec: { values: { controller: { image: { repository: `${ECR}/mirror/controller`, tag: '1.0' } }, other: { image: { tag: '2.0' } } } },
    });
    const findings = supplyChain([imagePolicy('deny'), release]);
    expect(findings.map((f) => [f.code, f.path])).toEqual([['supply-chain/image-without-digest', 'spec.values.controller.image.repository']]);
  });

  it('covers an image the way the template does (the registry followed by `/`), on normalized references', () => {
    expect(inRegistries(`${ECR}/team-a/web@${DIGEST}`, [ECR])).toBe(true);
    expect(inRegistries(`${ECR}.evil.example/web`, [ECR])).toBe(false);
    expect(inRegistries(`${ECR}/team-a/web`, [`${ECR}/`])).toBe(true);
    expect(normalizeImage('nginx:1.29')).toBe('docker.io/library/nginx:1.29');
    expect(normalizeImage('bitnami/redis')).toBe('docker.io/bitnami/redis');
  });
});

describe('Lambda code signing where signatures are enforced', () => {
  const config = (untrustedArtifactOnDeployment: string) =>
    at('clusters/prod/infra-configs/signing/CodeSigningConfig.lambda.services.k8s.aws_ack-system_flotilla-lambda.yaml', {
      apiVersion: 'lambda.services.k8s.aws/v1alpha1',
      kind: 'CodeSigningConfig',
      metadata: { name: 'flotilla-lambda', namespace: 'ack-system' },
      spec: { allowedPublishers: { signingProfileVersionARNs: ['arn:aws:signer:eu-north-1:222222222222:/signing-profiles/flotilla_lambda/ABCDEFGHIJ'] }, codeSigningPolicies: { untrustedArtifactOnDeployment } },
    });
  const fn = (spec: Record<string, unknown>) =>
    at('clusters/prod/infra-configs/policy-findings-platform/Function.lambda.services.k8s.aws_ack-system_policy-findings.yaml', {
      apiVersion: 'lambda.services.k8s.aws/v1alpha1',
      kind: 'Function',
      metadata: { name: 'policy-findings', namespace: 'ack-system' },
      spec: { name: 'prod-policy-findings', ...spec },
    });

  it('passes a Function that references an Enforce CodeSigningConfig', () => {
    expect(supplyChain([imagePolicy('deny'), config('Enforce'), fn({ codeSigningConfigRef: { from: { name: 'flotilla-lambda' } } })])).toEqual([]);
  });

  it('fails a Function without a code signing config on prod', () => {
    const findings = supplyChain([imagePolicy('deny'), config('Enforce'), fn({})]);
    expect(findings).toMatchObject([{ code: 'supply-chain/lambda-unsigned', object: 'Function ack-system/policy-findings', cluster: 'prod', path: 'spec.codeSigningConfigRef' }]);
  });

  it('fails a Warn policy on prod', () => {
    const findings = supplyChain([imagePolicy('deny'), config('Warn'), fn({ codeSigningConfigRef: { from: { name: 'flotilla-lambda' } } })]);
    expect(findings).toMatchObject([{ code: 'supply-chain/lambda-signing-not-enforced', path: 'spec.codeSigningPolicies.untrustedArtifactOnDeployment' }]);
    expect(findings[0]!.message).toContain("'Warn'");
  });

  it('fails a reference to a CodeSigningConfig the cluster does not render', () => {
    const findings = supplyChain([imagePolicy('deny'), fn({ codeSigningConfigRef: { from: { name: 'other' } } })]);
    expect(findings).toMatchObject([{ code: 'supply-chain/lambda-signing-config-missing' }]);
  });

  it('leaves clusters whose image constraint only warns alone', () => {
    const dev = (o: RenderedObject) => ({ ...o, cluster: 'dev' });
    expect(supplyChain([imagePolicy('warn', 'dev'), dev(config('Warn')), dev(fn({}))])).toEqual([]);
  });
});

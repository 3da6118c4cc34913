import { describe, expect, it } from 'vitest';
import type { Finding } from '@flotilla/model';
import { devCluster, editDev, errorsOf } from '../testing';

// One test per fault class of issue 14 (part 1): the committed dev render with one realistic
// mistake, through every check synth and `flotilla validate` share (checkCluster). Each mistake is
// one the API server or a controller rejects or breaks on, so it must be an error that names the
// file, object, field and fix.

const DEPLOYMENT = 'apps/comfyui/Deployment_imagegen_comfyui.yaml';
const NODEPOOL = 'karpenter.nodepools/NodePool.karpenter.sh_general.yaml';

function expectOnly(findings: Finding[], expected: Partial<Finding> & { code: string }): void {
  expect(findings).toEqual([expect.objectContaining(expected)]);
  const [finding] = findings;
  expect(finding!.file).toMatch(/^clusters\/dev\//);
  expect(finding!.object).toBeTruthy();
  expect(finding!.fix).toBeTruthy();
  expect(finding!.cluster).toBe('dev');
}

describe('the committed dev render', () => {
  it('passes every check (the baseline each fault below changes)', () => {
    expect(errorsOf(devCluster())).toEqual([]);
  });
});

describe('fault classes checked by synth and flotilla validate', () => {
  it('CEL: a CRD rule that fails to evaluate (NodePool Gt "many") is an error', () => {
    const objects = editDev(NODEPOOL, (o) => o.spec.template.spec.requirements.push({ key: 'karpenter.k8s.aws/instance-cpu', operator: 'Gt', values: ['many'] }));
    // The scheduling check may add consequences elsewhere; the NodePool's own findings are the CEL ones.
    const findings = errorsOf(objects).filter((f) => f.file?.endsWith(NODEPOOL));
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.every((f) => f.path?.startsWith('spec.template.spec.requirements'))).toBe(true);
    expect(findings.map((f) => f.code)).toContain('cel/evaluation-error');
  });

  it('Gatekeeper: a constraint kind without a template is a finding, not an abort, and other findings survive', () => {
    const objects = editDev(DEPLOYMENT, (o) => (o.spec.selector.matchLabels['app.kubernetes.io/name'] = 'other'), [
      'apiVersion: constraints.gatekeeper.sh/v1beta1\nkind: FlotillaNoSuchPolicy\nmetadata: {name: typo}\nspec: {}\n',
    ]);
    const codes = errorsOf(objects).map((f) => [f.code, f.file]);
    expect(codes).toContainEqual(['policy/unknown-constraint-kind', 'clusters/dev/apps/extra/extra-0.yaml']);
    expect(codes).toContainEqual(['ref/selector-template-mismatch', `clusters/dev/${DEPLOYMENT}`]);
  });

  it('Gatekeeper: a missing required parameter is a finding, not an abort', () => {
    const objects = editDev('FlotillaAllowedRepos.constraints.gatekeeper.sh_allowed-repositories.yaml', (o) => (o.spec.parameters = {}));
    expectOnly(errorsOf(objects), { code: 'policy/invalid-constraint', path: 'spec.parameters', message: expect.stringContaining("must have required property 'repos'") });
  });

  it('Gatekeeper: unknown constraint parameters are rejected (strict against the template schema)', () => {
    const objects = editDev('FlotillaAllowedRepos.constraints.gatekeeper.sh_allowed-repositories.yaml', (o) => (o.spec.parameters.repositories = ['ghcr.io/']));
    expectOnly(errorsOf(objects), { code: 'policy/invalid-constraint', message: expect.stringContaining('"repositories" (unknown parameter)') });
  });

  it('Gatekeeper: a constraint whose template is not rendered in the cluster is an error', () => {
    const objects = devCluster().filter((o) => !o.file.endsWith('ConstraintTemplate.templates.gatekeeper.sh_flotillaallowedrepos.yaml'));
    expectOnly(errorsOf(objects), { code: 'policy/template-not-in-cluster', path: 'kind' });
  });

  it('selectors: a Deployment whose selector does not match its pod template is an error', () => {
    const objects = editDev(DEPLOYMENT, (o) => (o.spec.template.metadata.labels['app.kubernetes.io/name'] = 'comfy'));
    const findings = errorsOf(objects).filter((f) => f.code === 'ref/selector-template-mismatch');
    expect(findings).toEqual([expect.objectContaining({ file: `clusters/dev/${DEPLOYMENT}`, path: 'spec.selector', object: 'Deployment imagegen/comfyui' })]);
  });

  it('references: an HPA scaleTargetRef to a missing Deployment is an error', () => {
    const objects = editDev('apps/team-a-web/HorizontalPodAutoscaler_team-a_web.yaml', (o) => (o.spec.scaleTargetRef.name = 'web-x'));
    expectOnly(errorsOf(objects), { code: 'ref/missing-scale-target', path: 'spec.scaleTargetRef', fix: 'point spec.scaleTargetRef.name at one of: config-demo, web' });
  });

  it('references: a Service selector that matches no pod template is an error', () => {
    const objects = editDev('apps/comfyui/Service_imagegen_comfyui.yaml', (o) => (o.spec.selector = { 'app.kubernetes.io/name': 'comfy-ui' }));
    expectOnly(errorsOf(objects), { code: 'ref/service-selects-nothing', path: 'spec.selector' });
  });

  it('references: a PodDisruptionBudget selector that matches no pod template is an error', () => {
    const objects = editDev('apps/comfyui/PodDisruptionBudget_imagegen_comfyui.yaml', (o) => (o.spec.selector = { matchLabels: { 'app.kubernetes.io/name': 'comfy-ui' } }));
    expectOnly(errorsOf(objects), { code: 'ref/pdb-selects-nothing', path: 'spec.selector' });
  });

  it('references: a RoleBinding roleRef to a missing Role is an error; built-in ClusterRoles resolve', () => {
    const broken = editDev('teams/RoleBinding_dj_dj-people.yaml', (o) => (o.roleRef.name = 'dj-peoples'));
    expectOnly(errorsOf(broken), { code: 'ref/missing-role', path: 'roleRef.name' });
    const builtin = editDev('teams/RoleBinding_dj_dj-people.yaml', (o) => (o.roleRef = { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' }), [
      'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: x}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: "system:auth-delegator"}\nsubjects: [{kind: Group, name: g, apiGroup: rbac.authorization.k8s.io}]\n',
    ]);
    expect(errorsOf(builtin)).toEqual([]);
  });

  it('references: a PodIdentityAssociation for a missing service account is an error', () => {
    const objects = editDev('PodIdentityAssociation.eks.services.k8s.aws_team-a_team-a-config-demo.yaml', (o) => (o.spec.serviceAccount = 'config-demo-app'));
    expectOnly(errorsOf(objects), { code: 'ref/missing-service-account', path: 'spec.serviceAccount' });
  });

  it('references: a NodePool nodeClassRef to a missing EC2NodeClass is an error', () => {
    const objects = editDev(NODEPOOL, (o) => (o.spec.template.spec.nodeClassRef.name = 'defualt'));
    // Pods that could only run on that pool become unschedulable too (the scheduling check); the cause is the NodePool's.
    expectOnly(errorsOf(objects).filter((f) => !f.code.startsWith('scheduling/')), { code: 'ref/missing-node-class', path: 'spec.template.spec.nodeClassRef.name', fix: 'use an existing EC2NodeClass: default, gpu' });
  });

  it('references: a Flux serviceAccountName that does not exist is an error', () => {
    const objects = editDev('sync/Kustomization.kustomize.toolkit.fluxcd.io_flux-system_comfyui.yaml', (o) => (o.spec.serviceAccountName = 'flux-image-gen'));
    expectOnly(errorsOf(objects), { code: 'ref/missing-service-account', path: 'spec.serviceAccountName' });
  });

  it('versions: a HelmRelease chart version "latest" and an invalid OCIRepository semver range are errors', () => {
    const objects = editDev('kong/HelmRelease.helm.toolkit.fluxcd.io_kong_kong.yaml', (o) => (o.spec.chart.spec.version = 'latest'));
    expectOnly(errorsOf(objects), { code: 'flux/invalid-version', path: 'spec.chart.spec.version' });
    const range = editDev('karpenter/OCIRepository.source.toolkit.fluxcd.io_karpenter_karpenter.yaml', (o) => (o.spec.ref = { semver: '>=1.14 <<2' }));
    expectOnly(errorsOf(range), { code: 'flux/invalid-version', path: 'spec.ref.semver' });
  });

  it('IAM: malformed JSON in an ACK trust policy is an error', () => {
    const objects = editDev('ack.identity/Role.iam.services.k8s.aws_ack-system_ack-s3-controller.yaml', (o) => (o.spec.assumeRolePolicyDocument = o.spec.assumeRolePolicyDocument.slice(0, -2)));
    expectOnly(errorsOf(objects), { code: 'iam/invalid-policy', path: 'spec.assumeRolePolicyDocument', message: expect.stringContaining('is not valid JSON') });
  });

  it('IAM: an ACK policy that breaks the grammar (Effect, Action/NotAction, Condition operator) is an error', () => {
    const objects = editDev('teams/Policy.iam.services.k8s.aws_ack-system_dev-tenant-boundary.yaml', (o) => {
      const doc = JSON.parse(o.spec.policyDocument);
      doc.Statement[0].Effect = 'allow';
      doc.Statement[1].NotAction = 's3:*';
      doc.Statement[2].Condition = { StringEqualsIfExist: { 's3:ResourceAccount': '111111111111' } };
      o.spec.policyDocument = JSON.stringify(doc);
    });
    const messages = errorsOf(objects).map((f) => `${f.code} ${f.path} ${f.message}`);
    expect(messages).toEqual([
      expect.stringMatching(/^iam\/invalid-policy spec\.policyDocument policy Statement\[0\]\.Effect must be "Allow" or "Deny"/),
      expect.stringMatching(/Statement\[1\] has both Action and NotAction/),
      expect.stringMatching(/unknown condition operator "StringEqualsIfExist"/),
    ]);
  });

  it('IAM: a Crossplane policy without Resource is an error', () => {
    const objects = editDev('Policy.iam.aws.upbound.io_dev-require-cost-center.yaml', (o) => {
      const doc = JSON.parse(o.spec.forProvider.policy);
      for (const statement of doc.Statement) delete statement.Resource;
      o.spec.forProvider.policy = JSON.stringify(doc);
    });
    const findings = errorsOf(objects);
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.every((f) => f.code === 'iam/invalid-policy' && f.path === 'spec.forProvider.policy' && /needs Resource or NotResource/.test(f.message))).toBe(true);
  });

  it('cron: a CronJob hour of 25, a NodePool budget schedule and an EventBridge schedule expression are checked', () => {
    const cronJob = editDev(NODEPOOL, (o) => (o.spec.disruption.budgets[1].schedule = '0 25 * * mon-fri'), [
      'apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: report, namespace: imagegen}\nspec:\n  schedule: "0 25 * * *"\n  jobTemplate: {spec: {template: {spec: {restartPolicy: Never, containers: [{name: report, image: x}]}}}}\n',
    ]);
    const found = errorsOf(cronJob).filter((f) => f.code === 'cron/invalid-schedule');
    expect(found.map((f) => [f.file, f.path, f.message])).toEqual([
      [`clusters/dev/infra-configs/${NODEPOOL}`, 'spec.disruption.budgets[1].schedule', 'hour 25 is out of range 0-23'],
      ['clusters/dev/apps/extra/extra-0.yaml', 'spec.schedule', 'hour 25 is out of range 0-23'],
    ]);
    const rule = editDev('Rule.eventbridge.services.k8s.aws_ack-system_team-a-config-demo.yaml', (o) => {
      delete o.spec.eventPattern;
      o.spec.scheduleExpression = 'cron(0 25 * * ? *)';
    });
    expectOnly(errorsOf(rule), { code: 'cron/invalid-schedule', path: 'spec.scheduleExpression', message: 'hour 25 is out of range 0-23' });
  });

  it('routes: an Ingress or HTTPRoute backend port the Service does not have is an error', () => {
    const ingress = editDev('apps/comfyui/Ingress_imagegen_comfyui.yaml', (o) => (o.spec.rules[0].http.paths[0].backend.service.port = { number: 8080 }));
    expectOnly(errorsOf(ingress), { code: 'ref/missing-service-port', path: 'spec.rules[0].http.paths[0].backend.service.port' });
    const route = editDev('HTTPRoute.gateway.networking.k8s.io_dj_jazz.yaml', (o) => (o.spec.rules[0].backendRefs[1].port = 8080));
    expectOnly(errorsOf(route), { code: 'ref/missing-service-port', path: 'spec.rules[0].backendRefs[1].port' });
  });

  it('pod specs: duplicate container names, duplicate port names and probes on undeclared port names are errors', () => {
    const objects = editDev(DEPLOYMENT, (o) => {
      const [main] = o.spec.template.spec.containers;
      main.ports = [{ name: 'http', containerPort: 8188 }, { name: 'http', containerPort: 8189 }];
      main.readinessProbe.httpGet.port = 'web';
      o.spec.template.spec.initContainers = [{ ...structuredClone(main), ports: undefined, readinessProbe: undefined }];
    });
    const found = errorsOf(objects).filter((f) => f.code.startsWith('pod/')).map((f) => [f.code, f.path]);
    expect(found).toEqual([
      ['pod/duplicate-container-name', 'spec.template.spec.containers[0].name'],
      ['pod/duplicate-port-name', 'spec.template.spec.containers[0].ports[1].name'],
      ['pod/missing-probe-port', 'spec.template.spec.containers[0].readinessProbe.httpGet.port'],
    ]);
  });
});

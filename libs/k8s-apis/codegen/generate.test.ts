import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { App, Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { findRepoRoot, readChartValues, readCrdSources } from '@flotilla/schemas';
import * as karpenter from '../src/karpenter';
import * as crossplaneAws from '../src/crossplane-aws';
import * as gatekeeper from '../src/gatekeeper';
import * as k8s from '../src/k8s';
import { generate, listTree, readKubernetesDefinitions, versionSuffix } from './generate';

const repoRoot = findRepoRoot(__dirname);
const crdDir = resolve(repoRoot, 'libs/upstream/crds');
const kubernetesDir = resolve(repoRoot, 'libs/upstream/kubernetes');
const srcDir = resolve(repoRoot, 'libs/k8s-apis/src');

describe('k8s-apis generator', () => {
  it('reproduces the committed files byte for byte from the vendored upstream files', () => {
    // GIVEN the pinned upstream CRDs WHEN generating again
    const { files } = generate(readCrdSources(crdDir), readKubernetesDefinitions(kubernetesDir), readChartValues(resolve(repoRoot, 'libs/upstream')));
    // THEN the set of files and every byte match what is committed
    expect(files.map((f) => f.path)).toEqual(listTree(srcDir));
    for (const file of files) {
      expect(readFileSync(resolve(srcDir, file.path), 'utf8'), file.path).toBe(file.content);
    }
  });

  it('generates the Upbound IAM and AppConfig kinds and every ACK kind', () => {
    const { classes } = generate(readCrdSources(crdDir));
    const byGroup = (group: string) => classes.filter((c) => c.group === group && c.storage).map((c) => c.kind);
    expect(byGroup('iam.aws.upbound.io')).toHaveLength(23);
    expect(byGroup('appconfig.aws.upbound.io')).toHaveLength(8);
    expect(byGroup('rds.services.k8s.aws')).toHaveLength(10);
    expect(byGroup('services.k8s.aws')).toEqual(['FieldExport', 'IAMRoleSelector']);
  });

  it('regenerates only the families found in a folder of a few CRDs', () => {
    // GIVEN only the Karpenter CRDs WHEN generating THEN exactly the committed karpenter folder comes out
    const { files } = generate(readCrdSources(resolve(crdDir, 'karpenter')));
    expect(files.map((f) => f.path)).toEqual(listTree(srcDir).filter((path) => path.startsWith('karpenter/')));
    for (const file of files) expect(readFileSync(resolve(srcDir, file.path), 'utf8')).toBe(file.content);
  });

  it('suffixes non-storage versions in PascalCase', () => {
    expect(versionSuffix('v1beta1')).toBe('V1Beta1');
    expect(versionSuffix('v2')).toBe('V2');
  });
});

describe('generated constructs', () => {
  it('synthesizes a Karpenter NodePool with the storage apiVersion and original field names', () => {
    // GIVEN a chart WHEN adding a NodePool through the generated L1
    const chart = new Chart(Testing.app(), 'test');
    new karpenter.NodePool(chart, 'general', {
      metadata: { name: 'general' },
      spec: {
        template: {
          spec: {
            nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' },
            requirements: [{ key: 'kubernetes.io/arch', operator: karpenter.NodePoolSpecTemplateSpecRequirementsOperator.IN, values: ['arm64'] }],
          },
        },
        limits: { cpu: karpenter.NodePoolSpecLimits.fromString('1000') },
      },
    });
    // THEN the manifest carries the GVK and the values as given
    const [manifest] = Testing.synth(chart);
    expect(manifest).toMatchObject({
      apiVersion: 'karpenter.sh/v1',
      kind: 'NodePool',
      metadata: { name: 'general' },
      spec: { limits: { cpu: '1000' }, template: { spec: { requirements: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['arm64'] }] } } },
    });
  });

  it('maps camelCase props back to the Upbound field names', () => {
    const chart = new Chart(new App(), 'test');
    new crossplaneAws.Role(chart, 'role', {
      metadata: { name: 'app' },
      spec: { forProvider: { assumeRolePolicy: '{}' }, providerConfigRef: { name: 'default' } },
    });
    const [manifest] = Testing.synth(chart);
    expect(manifest.apiVersion).toBe('iam.aws.upbound.io/v1beta1');
    expect(manifest.spec).toEqual({ forProvider: { assumeRolePolicy: '{}' }, providerConfigRef: { name: 'default' } });
  });

  it('synthesizes a Kubernetes 1.35 Deployment with quantities and int-or-string ports', () => {
    const chart = new Chart(Testing.app(), 'test');
    new k8s.KubeDeployment(chart, 'web', {
      metadata: { name: 'web', namespace: 'team-a' },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            containers: [
              {
                name: 'web',
                image: 'nginx',
                resources: { limits: { memory: k8s.Quantity.fromString('512Mi') } },
                readinessProbe: { httpGet: { port: k8s.IntOrString.fromString('http') } },
              },
            ],
          },
        },
      },
    });
    const [manifest] = Testing.synth(chart);
    expect(manifest.apiVersion).toBe('apps/v1');
    expect(manifest.spec.template.spec.containers[0]).toEqual({
      name: 'web',
      image: 'nginx',
      resources: { limits: { memory: '512Mi' } },
      readinessProbe: { httpGet: { port: 'http' } },
    });
  });

  it('gives both built-in Event kinds distinct classes', () => {
    expect(k8s.KubeEvent.GVK.apiVersion).toBe('v1');
    expect(k8s.KubeEventsEvent.GVK.apiVersion).toBe('events.k8s.io/v1');
  });

  it('keeps non-storage served versions as suffixed classes', () => {
    expect(gatekeeper.ConstraintTemplate.GVK.apiVersion).toBe('templates.gatekeeper.sh/v1');
    expect(gatekeeper.ConstraintTemplateV1Beta1.GVK.apiVersion).toBe('templates.gatekeeper.sh/v1beta1');
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { KubeObject, RenderedObject } from '@flotilla/model';
import { parseManifests } from './parse';
import { checkReferences } from './references';
import { checkSecrets } from './secrets';
import { SchemaValidator } from './schema-validator';
import { evaluateTransitionRules } from './transitions';

const dir = join(__dirname, '__fixtures__', 'valid');
/** Objects that use every reference the reference checks follow. */
const REFERENCES = `
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: { name: apps, namespace: flux-system }
spec:
  path: ./clusters/prod/apps
  targetNamespace: team-a
  sourceRef: { kind: GitRepository, name: fleet }
  dependsOn: [{ name: infra, namespace: flux-system }]
  postBuild: { substituteFrom: [{ kind: Secret, name: vars, optional: false }] }
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: { name: web, namespace: team-a, annotations: { flotilla.dev/installs-crds: "a.example.com" } }
spec:
  chart: { spec: { chart: web, sourceRef: { kind: HelmRepository, name: charts, namespace: flux-system } } }
  chartRef: { kind: OCIRepository, name: web }
  dependsOn: [{ name: base }]
  valuesFrom: [{ kind: ConfigMap, name: values }]
  install: { createNamespace: true }
  targetNamespace: web
---
apiVersion: batch/v1
kind: CronJob
metadata: { name: job, namespace: team-a }
spec:
  schedule: "* * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          serviceAccountName: job
          restartPolicy: Never
          containers:
            - name: c
              image: x
              envFrom: [{ configMapRef: { name: cm } }, { secretRef: { name: s } }]
              env: [{ name: A, valueFrom: { secretKeyRef: { name: s, key: k }, configMapKeyRef: { name: cm, key: k } } }]
          volumes:
            - { name: a, configMap: { name: cm } }
            - { name: b, secret: { secretName: s } }
            - { name: c, persistentVolumeClaim: { claimName: pvc } }
            - { name: d, projected: { sources: [{ configMap: { name: cm } }, { secret: { name: s } }] } }
            - { name: e, csi: { driver: secrets-store.csi.k8s.io, volumeAttributes: { secretProviderClass: spc } } }
---
apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata: { name: es, namespace: team-a }
spec: { secretStoreRef: { kind: SecretStore, name: store }, target: { name: s } }
---
apiVersion: secrets-store.csi.x-k8s.io/v1
kind: SecretProviderClass
metadata: { name: spc, namespace: team-a }
spec: { provider: aws, secretObjects: [{ secretName: s2, type: Opaque }] }
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: widgets.example.com }
spec:
  group: example.com
  names: { kind: Widget, plural: widgets }
  scope: Namespaced
  versions: [{ name: v1, served: true, storage: true, schema: { openAPIV3Schema: { type: object, properties: { spec: { type: object } } } } }]
---
apiVersion: example.com/v1
kind: Widget
metadata: { name: w, namespace: team-a }
spec: {}
`;

const objects = parseManifests([
  ...readdirSync(dir).map((file) => ({ file: `clusters/prod/${file}`, content: readFileSync(join(dir, file), 'utf8') })),
  { file: 'clusters/prod/apps/references.yaml', content: REFERENCES },
]).objects;

/** Every path to a leaf or container of an object (bounded per object). */
function paths(value: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (out.length > 120 || value === null || typeof value !== 'object') return out;
  for (const [key, child] of Object.entries(value)) {
    const path = [...prefix, Array.isArray(value) ? Number(key) : key];
    out.push(path);
    paths(child, path, out);
  }
  return out;
}

function replaced(object: KubeObject, path: (string | number)[], next: unknown): KubeObject {
  const copy = structuredClone(object) as Record<string, unknown>;
  let node: Record<string | number, unknown> = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path[path.length - 1]!] = next;
  return copy as unknown as KubeObject;
}

describe('robustness', () => {
  it('never throws on objects with any field replaced by a value of another type', () => {
    // GIVEN every valid sample with one field at a time set to null, a number, a string, a list or a map
    const mutants: RenderedObject[] = [];
    for (const rendered of objects) {
      for (const path of paths(rendered.object)) {
        for (const value of [null, 7, 'x', [1, 'a'], { unexpected: true }]) mutants.push({ ...rendered, object: replaced(rendered.object, path, value) });
      }
    }
    // WHEN validating and checking them THEN findings come back, no exception escapes
    expect(mutants.length).toBeGreaterThan(1000);
    const validator = SchemaValidator.load();
    const widget = objects.find((o) => o.object.kind === 'Widget')!;
    for (const mutant of mutants) {
      // CRDs are checked together with a custom resource they define, so broken CRD schemas are compiled too.
      expect(() => validator.validate([mutant, widget])).not.toThrow();
      expect(() => checkSecrets([mutant])).not.toThrow();
      expect(() => evaluateTransitionRules(objects.find((o) => o.file === mutant.file && o.index === mutant.index)!.object, mutant.object)).not.toThrow();
    }
    expect(() => checkReferences(mutants)).not.toThrow();
  });
});

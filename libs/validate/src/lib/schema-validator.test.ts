import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatFinding, type RenderedObject } from '@flotilla/model';
import { parseManifests } from './parse';
import { SchemaValidator } from './schema-validator';

const fixtures = join(__dirname, '__fixtures__');
const validator = SchemaValidator.load();

function load(file: string, content = readFileSync(file, 'utf8')): RenderedObject[] {
  const { objects, findings } = parseManifests([{ file: file.slice(fixtures.length + 1), content }]);
  expect(findings).toEqual([]);
  return objects;
}

function yamlObjects(content: string): RenderedObject[] {
  return parseManifests([{ file: 'clusters/prod/apps/team-a/web/Deployment_team-a_web.yaml', content }]).objects;
}

describe('SchemaValidator: one valid sample per API family', () => {
  for (const name of readdirSync(join(fixtures, 'valid')).sort()) {
    it(`accepts valid/${name}`, () => {
      const findings = validator.validate(load(join(fixtures, 'valid', name)));
      expect(findings.map(formatFinding)).toEqual([]);
    });
  }
});

describe('SchemaValidator: invalid samples report exactly the expected findings', () => {
  for (const name of readdirSync(join(fixtures, 'invalid')).sort()) {
    it(`fails valid/${name.replace(/\.yaml$/, '')} with the findings listed in its "# expect:" lines`, () => {
      const content = readFileSync(join(fixtures, 'invalid', name), 'utf8');
      const expected = [...content.matchAll(/^# expect: (\S+) ?(.*)$/gm)].map((m) => `${m[1]} ${m[2]!.trim()}`.trim()).sort();
      const findings = validator.validate(load(join(fixtures, 'invalid', name), content));
      expect(findings.map((f) => `${f.code} ${f.path ?? ''}`.trim()).sort()).toEqual(expected);
    });
  }
});

describe('SchemaValidator messages', () => {
  it('fails a bad memory quantity and suggests the binary unit', () => {
    // GIVEN a container limit written in bytes-style units
    const objects = yamlObjects(`
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: team-a }
spec:
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
        - name: web
          image: nginx
          resources: { limits: { memory: 512MB } }
`);
    // WHEN validating THEN the finding names file, object, path, value and the likely fix
    expect(validator.validate(objects).map(formatFinding)).toEqual([
      'clusters/prod/apps/team-a/web/Deployment_team-a_web.yaml: Deployment team-a/web: spec.template.spec.containers[0].resources.limits.memory: "512MB" is not a quantity (did you mean 512Mi?)',
    ]);
  });

  it('fails an unknown field and suggests the closest known field', () => {
    const objects = yamlObjects(`
apiVersion: v1
kind: Service
metadata: { name: web, namespace: team-a }
spec:
  selector: { app: web }
  ports: [{ port: 80, targetPrt: 8080 }]
`);
    const [finding] = validator.validate(objects);
    expect(finding).toMatchObject({ code: 'schema/unknown-field', path: 'spec.ports[0].targetPrt', message: 'unknown field "targetPrt"', fix: 'did you mean "targetPort"?' });
  });

  it('fails an unknown kind unless it is allowed, by exact kind or by group', () => {
    const objects = yamlObjects(`
apiVersion: widgets.example.com/v1
kind: Widget
metadata: { name: web, namespace: team-a }
`);
    expect(validator.validate(objects)).toMatchObject([{ severity: 'error', code: 'schema/unknown-kind', message: 'unknown kind Widget in apiVersion widgets.example.com/v1' }]);
    expect(validator.validate(objects, { allowedUnknownKinds: ['widgets.example.com/Widget'] })).toEqual([]);
    expect(validator.validate(objects, { allowedUnknownKinds: ['widgets.example.com/*'] })).toEqual([]);
  });

  it('validates custom resources against a CRD found among the objects', () => {
    const objects = yamlObjects(`
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: widgets.example.com }
spec:
  group: example.com
  scope: Namespaced
  names: { kind: Widget, plural: widgets }
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                size: { type: integer, x-kubernetes-validations: [{ rule: 'self <= 10', message: 'size must be at most 10' }] }
---
apiVersion: example.com/v1
kind: Widget
metadata: { name: big, namespace: team-a }
spec: { size: 11, colour: red }
`);
    expect(validator.validate(objects).map((f) => [f.code, f.path, f.message])).toEqual([
      ['schema/unknown-field', 'spec.colour', 'unknown field "colour"'],
      ['cel/rule', 'spec.size', 'size must be at most 10'],
    ]);
  });

  it('applies CRD defaults before evaluating CEL rules (Gateway API backendRef group defaults to "")', () => {
    const objects = yamlObjects(`
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: web, namespace: team-a }
spec:
  parentRefs: [{ name: public }]
  rules: [{ backendRefs: [{ name: web, port: 80 }] }]
`);
    expect(validator.validate(objects)).toEqual([]);
  });

  it('uses the requested Kubernetes version for built-in kinds (MutatingAdmissionPolicy is v1 from 1.36)', () => {
    const objects = yamlObjects(`
apiVersion: admissionregistration.k8s.io/v1
kind: MutatingAdmissionPolicy
metadata: { name: default-labels }
spec:
  failurePolicy: Fail
  reinvocationPolicy: Never
  matchConstraints:
    resourceRules: [{ apiGroups: [apps], apiVersions: [v1], operations: [CREATE], resources: [deployments] }]
  mutations:
    - patchType: ApplyConfiguration
      applyConfiguration: { expression: "Object{metadata: Object.metadata{labels: {'team': 'a'}}}" }
`);
    expect(validator.validate(objects, { kubernetesVersion: '1.36' })).toEqual([]);
    expect(validator.validate(objects, { kubernetesVersion: '1.35' })).toMatchObject([
      { code: 'schema/unknown-kind', fix: 'use apiVersion: admissionregistration.k8s.io/v1alpha1 or admissionregistration.k8s.io/v1beta1' },
    ]);
  });

  it('warns about a namespace on a cluster-scoped kind', () => {
    const objects = yamlObjects(`
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: { name: "system:reader", namespace: team-a }
rules: []
`);
    expect(validator.validate(objects)).toMatchObject([{ severity: 'warning', code: 'schema/namespace-on-cluster-scoped' }]);
  });

  it('compiles every bundled CRD CEL rule', () => {
    const stats = validator.ruleStats();
    expect(stats.total).toBeGreaterThan(400);
    expect(stats.failed).toEqual([]);
  });
});

describe('SchemaValidator nulls', () => {
  it('accepts explicit nulls as the API server does (kubectl-exported creationTimestamp: null)', () => {
    const objects = yamlObjects(`
apiVersion: v1
kind: ConfigMap
metadata: { name: web, namespace: team-a, creationTimestamp: null }
data: ~
`);
    expect(validator.validate(objects)).toEqual([]);
  });
});

describe('SchemaValidator CEL on nulls', () => {
  it('prunes nulls before CEL, so has() sees a null field as absent (static NodePool with weight: null)', () => {
    const objects = yamlObjects(`
apiVersion: karpenter.sh/v1
kind: NodePool
metadata: { name: static }
spec:
  replicas: 2
  weight: null
  template:
    spec:
      nodeClassRef: { group: karpenter.k8s.aws, kind: EC2NodeClass, name: default }
      requirements: []
`);
    expect(validator.validate(objects)).toEqual([]);
  });
});

describe('SchemaValidator apiVersion hints', () => {
  it('names the group that serves a kind written with the wrong apiVersion', () => {
    const objects = yamlObjects(`
apiVersion: v1
kind: Deployment
metadata: { name: web, namespace: team-a }
`);
    expect(validator.validate(objects)).toMatchObject([{ code: 'schema/unknown-kind', fix: 'Deployment is served as apiVersion: appconfig.aws.upbound.io/v1beta1 or apps/v1' }]);
  });

  it('warns about a deprecated CRD version and names the current one', () => {
    const objects = yamlObjects(`
apiVersion: secrets-store.csi.x-k8s.io/v1alpha1
kind: SecretProviderClass
metadata: { name: tls, namespace: team-a }
spec: { provider: aws }
`);
    expect(validator.validate(objects)).toMatchObject([
      { severity: 'warning', code: 'schema/deprecated-version', message: 'secrets-store.csi.x-k8s.io/v1alpha1 SecretProviderClass is deprecated', fix: 'use apiVersion: secrets-store.csi.x-k8s.io/v1' },
    ]);
  });
});

describe('SchemaValidator CEL details', () => {
  it('reports messageExpression, fieldPath and reason, and evaluates rules on map values and list items', () => {
    const objects = yamlObjects(`
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: gadgets.example.com }
spec:
  group: example.com
  scope: Namespaced
  names: { kind: Gadget, plural: gadgets }
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              x-kubernetes-validations:
                - rule: self.min <= self.max
                  messageExpression: "'min ' + string(self.min) + ' exceeds max ' + string(self.max)"
                  fieldPath: .min
                  reason: FieldValueInvalid
              properties:
                min: { type: integer }
                max: { type: integer }
                ports:
                  type: array
                  items: { type: integer, x-kubernetes-validations: [{ rule: 'self > 1024', message: 'port must be unprivileged' }] }
                limits:
                  type: object
                  additionalProperties: { type: string, x-kubernetes-validations: [{ rule: "self != ''", message: 'limit may not be empty' }] }
---
apiVersion: example.com/v1
kind: Gadget
metadata: { name: g, namespace: team-a }
spec: { min: 5, max: 3, ports: [8080, 80], limits: { cpu: '' } }
`);
    expect(validator.validate(objects).map((f) => [f.path, f.message, f.fix])).toEqual([
      ['spec.min', 'min 5 exceeds max 3', 'FieldValueInvalid: the CRD rule is self.min <= self.max'],
      ['spec.ports[1]', 'port must be unprivileged', 'the CRD rule is self > 1024'],
      ['spec.limits.cpu', 'limit may not be empty', "the CRD rule is self != ''"],
    ]);
  });
});

describe('SchemaValidator CEL runtime errors', () => {
  it('fails a rule that reads a missing field, as the API server does (Gateway TLS listener without certificateRefs)', () => {
    const objects = yamlObjects(`
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: public, namespace: team-a }
spec:
  gatewayClassName: aws-alb
  listeners:
    - name: https
      protocol: HTTPS
      port: 443
      tls: { mode: Terminate }
`);
    expect(validator.validate(objects)).toMatchObject([
      {
        severity: 'error',
        code: 'cel/evaluation-error',
        path: 'spec.listeners[0].tls',
        message: 'certificateRefs or options must be specified when mode is Terminate (the rule fails to evaluate: No such key: options)',
      },
    ]);
  });
});

describe('SchemaValidator lazy subschemas', () => {
  it('reports errors deep inside big CRD schemas whichever Kubernetes version compiled them first', () => {
    const objects = yamlObjects(`
apiVersion: external-secrets.io/v1
kind: ClusterSecretStore
metadata: { name: aws }
spec:
  provider:
    aws:
      service: SecretsManager
      region: eu-west-1
      auth: { jwt: { serviceAccountRef: { name: eso, namespce: external-secrets } } }
`);
    const expected = [{ code: 'schema/unknown-field', path: 'spec.provider.aws.auth.jwt.serviceAccountRef.namespce', fix: 'did you mean "namespace"?' }];
    expect(validator.validate(objects, { kubernetesVersion: '1.36' })).toMatchObject(expected);
    expect(validator.validate(objects, { kubernetesVersion: '1.35' })).toMatchObject(expected);
  });

  it('keeps list indexes and map keys in paths through lazily compiled definitions', () => {
    const objects = yamlObjects(`
apiVersion: v1
kind: Pod
metadata: { name: p, namespace: team-a }
spec:
  containers:
    - { name: a, image: nginx }
    - name: b
      image: nginx
      resources: { requests: { cpu: 1 cpu } }
      volumeMounts: [{ name: data, mountPath: /data, readonly: true }]
`);
    expect(validator.validate(objects).map((f) => [f.path, f.message, f.fix])).toEqual([
      ['spec.containers[1].resources.requests.cpu', '"1 cpu" is not a quantity', 'did you mean 1?'],
      ['spec.containers[1].volumeMounts[0].readonly', 'unknown field "readonly"', 'did you mean "readOnly"?'],
    ]);
  });
});

describe('SchemaValidator associative lists', () => {
  it('fails duplicate keys in map lists, which server-side apply rejects (env names, container ports)', () => {
    const objects = yamlObjects(`
apiVersion: v1
kind: Pod
metadata: { name: p, namespace: team-a }
spec:
  containers:
    - name: a
      image: nginx
      env: [{ name: LOG_LEVEL, value: info }, { name: MODE, value: x }, { name: LOG_LEVEL, value: debug }]
      ports: [{ containerPort: 80 }, { containerPort: 80, protocol: UDP }]
`);
    expect(validator.validate(objects).map((f) => [f.code, f.path, f.message])).toEqual([
      ['schema/duplicate-key', 'spec.containers[0].env[2]', 'duplicate entry name="LOG_LEVEL" (same as item [0])'],
    ]);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { lineOf, scratchRepo } from '../../testing';
import { validateFluxRepository } from './validate-flux-repo';

let remove: (() => void) | undefined;
afterEach(() => remove?.());

/** A small hand-written repository: a bootstrap root, one app with SOPS, values, a patch, kustomize configs and substitutions. */
function repository() {
  const repo = scratchRepo();
  remove = repo.remove;
  repo.write('clusters/dev/flux-system/gotk-sync.yaml', '# written by flux bootstrap\n');
  repo.write('clusters/dev/flux-system/kustomization.yaml', 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [gotk-sync.yaml]\n');
  repo.write(
    'clusters/dev/app.yaml',
    `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: app, namespace: flux-system}
spec:
  interval: 10m
  path: ./app/dev
  prune: true
  sourceRef: {kind: GitRepository, name: flux-system}
  targetNamespace: web
  postBuild:
    substitute: {replicas: "3"}
    substituteFrom:
      - {kind: ConfigMap, name: cluster-vars}
      - {kind: Secret, name: cluster-secret-vars}
`,
  );
  repo.write('clusters/dev/vars.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cluster-vars, namespace: flux-system}\ndata: {image_tag: "1.2.3"}\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: cluster-secret-vars, namespace: flux-system}\nstringData: {domain: example.org}\n');
  repo.write('app/base/namespace.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata: {name: web}\n');
  repo.write(
    'app/base/deployment.yaml',
    `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: \${replicas}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: nginx:\${image_tag}
          args: ["--host=\${domain}", "--missing=\${not_set:=fallback}"]
`,
  );
  repo.write('app/base/script.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: script\n  annotations: {kustomize.toolkit.fluxcd.io/substitute: disabled}\ndata: {run.sh: "echo ${HOME}"}\n');
  repo.write('app/base/kustomization.yaml', 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [namespace.yaml, deployment.yaml, script.yaml, secret.enc.yaml]\nconfigurations: [kustomizeconfig.yaml]\nconfigMapGenerator:\n  - {name: web-values, files: [values.yaml=web-values.yaml]}\ngeneratorOptions: {disableNameSuffixHash: true}\n');
  repo.write('app/base/kustomizeconfig.yaml', 'nameReference:\n  - kind: ConfigMap\n    fieldSpecs:\n      - {path: spec/valuesFrom/name, kind: HelmRelease}\n');
  repo.write('app/base/web-values.yaml', 'replicaCount: 2\nresources:\n  limits: {memory: 512Mi}\n');
  repo.write(
    'app/base/secret.enc.yaml',
    'apiVersion: v1\nkind: Secret\nmetadata: {name: db}\ndata:\n  password: ENC[AES256_GCM,data:abc=,iv:x,tag:y,type:str]\nsops:\n  age:\n    - recipient: age1xyz\n  version: 3.9.0\n',
  );
  repo.write('app/dev/kustomization.yaml', 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [../base]\npatches:\n  - path: replicas-patch.yaml\n  - path: args-patch.json.yaml\n    target: {kind: Deployment, name: web}\n');
  repo.write('app/dev/replicas-patch.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n      terminationGracePeriodSeconds: 30\n');
  repo.write('app/dev/args-patch.json.yaml', '- op: add\n  path: /spec/template/spec/containers/0/env\n  value: [{name: MODE, value: dev}]\n');
  repo.write('charts/web/values.yaml', 'image:\n  repository: nginx\n');
  return repo;
}

describe('recognising what hand-written files are', () => {
  it('builds patches into their objects, notes SOPS, values and kustomize configs, and applies substitutions', () => {
    const repo = repository();
    const result = validateFluxRepository(repo.dir);
    expect(result.findings.filter((finding) => finding.severity === 'error')).toEqual([]);
    const roles = Object.fromEntries(result.skippedFiles.map((file) => [file.file, file.role]));
    expect(roles).toMatchObject({
      'app/base/secret.enc.yaml': 'sops',
      'app/base/web-values.yaml': 'values',
      'charts/web/values.yaml': 'values',
      'app/base/kustomizeconfig.yaml': 'kustomize-config',
      'app/dev/replicas-patch.yaml': 'patch',
      'app/dev/args-patch.json.yaml': 'patch',
      'app/base/kustomization.yaml': 'kustomization',
    });
    const notes = result.findings.filter((finding) => finding.severity === 'info').map((finding) => `${finding.code} ${finding.file}`);
    expect(notes).toEqual(
      expect.arrayContaining([
        'flux-repo/sops app/base/secret.enc.yaml:1',
        'flux-repo/helm-values app/base/web-values.yaml:1',
        'flux-repo/helm-values charts/web/values.yaml:1',
        'flux-repo/kustomize-config app/base/kustomizeconfig.yaml:1',
      ]),
    );
    // The SOPS Secret is built but never judged (its data is ciphertext).
    expect(result.skippedObjects).toBe(1);
    // An unset variable with a default is fine; none is reported.
    expect(result.findings.filter((finding) => finding.code.startsWith('flux/substitute'))).toEqual([]);
  });

  it('judges substituted values: a substituteFrom value of the wrong type is reported where the variable is', () => {
    const repo = repository();
    repo.edit('clusters/dev/app.yaml', (text) => text.replace('replicas: "3"', 'replicas: "three"'));
    const errors = validateFluxRepository(repo.dir).findings.filter((finding) => finding.severity === 'error');
    expect(errors).toMatchObject([{ path: 'spec.replicas', object: 'Deployment web/web', file: `app/base/deployment.yaml:${lineOf(repo.dir, 'app/base/deployment.yaml', 'replicas:')}`, cluster: 'dev' }]);
  });

  it('an object with substitution disabled keeps ${…}, and an undefined variable warns at its line', () => {
    const repo = repository();
    repo.edit('app/base/deployment.yaml', (text) => text.replace('${not_set:=fallback}', '${not_set}'));
    const result = validateFluxRepository(repo.dir);
    expect(result.findings.filter((finding) => finding.code === 'flux/substitute-undefined')).toMatchObject([
      { severity: 'warning', file: `app/base/deployment.yaml:${lineOf(repo.dir, 'app/base/deployment.yaml', '${not_set}')}`, message: expect.stringMatching(/variable not_set is not defined/) },
    ]);
    expect(result.findings.some((finding) => /HOME/.test(finding.message))).toBe(false);
  });

  it('reports a JSON6902 patch fault at the op that causes it', () => {
    const repo = repository();
    repo.edit('app/dev/args-patch.json.yaml', (text) => text.replace('value: [{name: MODE, value: dev}]', 'value: [{name: MODE, valu: dev}]'));
    const errors = validateFluxRepository(repo.dir).findings.filter((finding) => finding.severity === 'error');
    expect(errors).toMatchObject([{ code: 'schema/unknown-field', file: 'app/dev/args-patch.json.yaml:1' }]);
  });

  it('applies the Flux Kustomization own patches, and reports their faults at the patch op in the Kustomization', () => {
    const repo = repository();
    repo.edit('clusters/dev/app.yaml', (text) =>
      text.replace(
        '  targetNamespace: web\n',
        '  targetNamespace: web\n  patches:\n    - target: {kind: Deployment}\n      patch: |\n        - op: add\n          path: /spec/minReadySeconds\n          value: 10\n        - op: add\n          path: /spec/paused\n          value: "no"\n',
      ),
    );
    const errors = validateFluxRepository(repo.dir).findings.filter((finding) => finding.severity === 'error');
    expect(errors).toMatchObject([{ path: 'spec.paused', object: 'Deployment web/web', file: `clusters/dev/app.yaml:${lineOf(repo.dir, 'clusters/dev/app.yaml', 'path: /spec/paused') - 1}` }]);
  });

  it('a kustomize build failure is an error on the Kustomization, with kustomize message', () => {
    const repo = repository();
    repo.edit('app/dev/kustomization.yaml', (text) => text.replace('resources: [../base]', 'resources: [../base, ../missing]'));
    const errors = validateFluxRepository(repo.dir).findings.filter((finding) => finding.severity === 'error');
    expect(errors).toMatchObject([{ code: 'flux/build-failed', object: 'Kustomization flux-system/app', file: `clusters/dev/app.yaml:${lineOf(repo.dir, 'clusters/dev/app.yaml', 'path:')}`, message: expect.stringMatching(/kustomize build of app\/dev fails: .*'..\/missing'/) }]);
    expect(errors[0]!.message).not.toContain(repo.dir);
  });
});

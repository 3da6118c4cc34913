import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CommittedObjects } from '@flotilla/core';
import { findRepoRoot, type RenderedObject } from '@flotilla/model';
import { contextQueryFor } from './check-context';
import { checkCluster } from './fleet-checks';

const repoRoot = findRepoRoot(__dirname);
const policiesDir = join(repoRoot, 'policies');
const LAYERS = ['infra-controllers', 'infra-configs', 'policies', 'apps'];

/**
 * The committed unit folders of a cluster (what a scoped synth renders one of and reads the rest of),
 * plus its cluster-level folders (a unit's synth judges them too when its metadata changed them).
 */
function unitFolders(cluster: string): string[] {
  const units = LAYERS.flatMap((layer) =>
    readdirSync(join(repoRoot, 'clusters', cluster, layer), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => `clusters/${cluster}/${layer}/${entry.name}`),
  );
  return [...units, `clusters/${cluster}/sync`, `clusters/${cluster}/flux-system`];
}

describe('the context a scoped synth reads', () => {
  for (const cluster of ['dev', 'prod']) {
    it(`gives every unit (and the cluster-level files) of ${cluster} the same findings as the whole cluster, from fewer objects`, () => {
      // GIVEN the committed units of the cluster, each in turn judged as `synth --project` judges it
      const folders = unitFolders(cluster);
      const objects = new CommittedObjects(repoRoot, folders, cluster).all();
      expect(folders.length).toBeGreaterThan(10);
      let narrower = 0;
      for (const folder of folders) {
        const judged = objects.filter((entry) => entry.file.startsWith(`${folder}/`));
        const others = new CommittedObjects(repoRoot, folders.filter((other) => other !== folder), cluster);
        let selected: RenderedObject[] = [];
        // WHEN the checks run with the whole cluster as context, and with only what they ask for
        const whole = checkCluster(policiesDir, { rendered: judged, all: () => objects });
        const asked = checkCluster(policiesDir, {
          rendered: judged,
          all: () => objects,
          context: (query) => (selected = [...judged, ...others.select(query())]),
        });
        // THEN the findings are the same (a missing referenced object would be an error of its own)
        expect(asked.findings, folder).toEqual(whole.findings);
        expect(asked.violations, folder).toEqual(whole.violations);
        if (selected.length < objects.length) narrower++;
      }
      // AND most units read only part of the cluster
      expect(narrower).toBeGreaterThan(folders.length / 2);
    });
  }

  it('names the namespaces the judged objects live in, declare or refer to', () => {
    // GIVEN a Namespace, a RoleBinding in it whose subject lives elsewhere, and a Pod Identity association
    const judged: RenderedObject[] = [
      { file: 'a.yaml', index: 0, cluster: 'c', object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } } },
      {
        file: 'b.yaml',
        index: 0,
        cluster: 'c',
        object: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'r', namespace: 'team-a' }, subjects: [{ kind: 'ServiceAccount', name: 'x', namespace: 'ci' }] },
      },
      { file: 'c.yaml', index: 0, cluster: 'c', object: { apiVersion: 'eks.services.k8s.aws/v1alpha1', kind: 'PodIdentityAssociation', metadata: { name: 'p', namespace: 'ack-system' }, spec: { namespace: 'karpenter' } } },
    ];
    // WHEN the query is made; THEN it names exactly those namespaces (plus default and flux-system) and the cross-namespace kinds
    const query = contextQueryFor(judged);
    expect([...query.namespaces].sort()).toEqual(['ack-system', 'ci', 'default', 'flux-system', 'karpenter', 'team-a']);
    expect(query.kinds).toContain('DaemonSet');
    expect(query.kinds).toContain('HelmRelease');
    expect(query.kinds).not.toContain('ConfigMap');
  });
});

describe('a scoped synth of the signature enforcement', () => {
  it('judges every workload of the cluster when it renders the image policy, as a full render does', () => {
    // GIVEN prod's committed objects and its image signature constraint, narrowed to a registry no workload uses
    const folders = unitFolders('prod');
    const objects = new CommittedObjects(repoRoot, folders, 'prod').all();
    const policyFolder = 'clusters/prod/policies/signing.image-policy/';
    const judged = objects
      .filter((entry) => entry.file.startsWith(policyFolder))
      .map((entry) =>
        entry.object.kind === 'FlotillaImageSignatures'
          ? { ...entry, object: { ...entry.object, spec: { ...(entry.object.spec as object), parameters: { registries: ['registry.example.com'] } } } }
          : entry,
      );
    const all = () => [...objects.filter((entry) => !entry.file.startsWith(policyFolder)), ...judged];
    const others = new CommittedObjects(repoRoot, folders.filter((folder) => `${folder}/` !== policyFolder), 'prod');
    // WHEN only the policy's unit is rendered (synth --project signing)
    const scoped = checkCluster(policiesDir, { rendered: judged, all, context: (query) => [...judged, ...others.select(query())] });
    // THEN the prod workloads outside the new registry fail, though their files were not rendered
    const outside = scoped.findings.filter((finding) => finding.code === 'supply-chain/image-outside-signed-registries');
    expect(outside.length).toBeGreaterThan(3);
    expect(outside.every((finding) => !finding.file?.startsWith(policyFolder))).toBe(true);
    expect(scoped.findings).toEqual(checkCluster(policiesDir, { rendered: judged, all }).findings);
  });
});

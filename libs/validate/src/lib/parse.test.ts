import { describe, expect, it } from 'vitest';
import { clusterOfFile } from '@flotilla/config';
import { parseManifests } from './parse';

describe('parseManifests', () => {
  it('returns each document with its file, index and cluster', () => {
    const { objects, findings } = parseManifests([
      { file: 'clusters/prod/apps/a.yaml', content: 'apiVersion: v1\nkind: Namespace\nmetadata: { name: a }\n---\napiVersion: v1\nkind: Namespace\nmetadata: { name: b }\n' },
    ]);
    expect(findings).toEqual([]);
    expect(objects.map((o) => [o.file, o.index, o.cluster, o.object.metadata.name])).toEqual([
      ['clusters/prod/apps/a.yaml', 0, 'prod', 'a'],
      ['clusters/prod/apps/a.yaml', 1, 'prod', 'b'],
    ]);
  });

  it('fails malformed YAML with the file and line', () => {
    const { objects, findings } = parseManifests([
      { file: 'clusters/dev/x.yaml', content: 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: ok }\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [broken\ndata: {}\n' },
    ]);
    expect(objects).toHaveLength(1);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: 'error', code: 'yaml/syntax', cluster: 'dev' });
    expect(findings[0]!.file).toMatch(/^clusters\/dev\/x\.yaml:9:\d+$/);
    expect(findings[0]!.message).toMatch(/^malformed YAML: /);
  });

  it('fails documents that are not Kubernetes objects', () => {
    const { findings } = parseManifests([{ file: 'a.yaml', content: '- a\n- b\n---\napiVersion: v1\nmetadata: { name: x }\n' }]);
    expect(findings.map((f) => [f.file, f.message])).toEqual([
      ['a.yaml:1', 'document is a list, not a Kubernetes object'],
      ['a.yaml:4', 'object has no kind'],
    ]);
  });

  it('fails duplicate keys, which kubectl rejects', () => {
    const { findings } = parseManifests([{ file: 'a.yaml', content: 'apiVersion: v1\nkind: ConfigMap\nkind: Secret\nmetadata: { name: x }\n' }]);
    expect(findings).toMatchObject([{ code: 'yaml/syntax', file: 'a.yaml:3:1' }]);
  });

  it('skips empty documents and kustomization.yaml files', () => {
    expect(parseManifests([{ file: 'a.yaml', content: '---\n---\n' }])).toEqual({ objects: [], findings: [] });
    const kustomization = 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [a.yaml]\n';
    expect(parseManifests([{ file: 'clusters/prod/kustomization.yaml', content: kustomization }])).toEqual({ objects: [], findings: [] });
  });

  it('takes the cluster from clusters/<name>/', () => {
    expect(clusterOfFile('clusters/prod-eu/flux-system/gotk.yaml')).toBe('prod-eu');
    expect(clusterOfFile('charts/x.yaml')).toBeUndefined();
  });
});

import { Testing } from 'cdk8s';
import { describe, expect, test } from 'vitest';
import { VersionedConfigMap, type VersionedConfigMapProps } from './versioned-config-map';

function render(data: Record<string, string>, more: Partial<VersionedConfigMapProps> = {}) {
  const chart = Testing.chart();
  const config = new VersionedConfigMap(chart, 'Config', { name: 'web', namespace: 'team-a', data, labels: { team: 'team-a' }, ...more });
  return { config, objects: Testing.synth(chart) as any[] };
}

describe('VersionedConfigMap', () => {
  test('renders an immutable ConfigMap named after a hash of its content', () => {
    const { config, objects } = render({ 'app.conf': 'a=1' });
    expect(config.name).toMatch(/^web-[0-9a-f]{10}$/);
    expect(objects).toEqual([
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: config.name, namespace: 'team-a', labels: { team: 'team-a' } }, data: { 'app.conf': 'a=1' }, immutable: true },
    ]);
  });

  test('a change renames the map and a revert restores the old name', () => {
    const original = render({ 'app.conf': 'a=1' }).config.name;
    const changed = render({ 'app.conf': 'a=2' }).config.name;
    const reverted = render({ 'app.conf': 'a=1' }).config.name;
    expect(changed).not.toBe(original);
    expect(reverted).toBe(original);
  });

  test('the hash does not depend on key order', () => {
    expect(render({ a: '1', b: '2' }).config.name).toBe(render({ b: '2', a: '1' }).config.name);
  });

  test('keeps the earlier versions from history with their content, so kubectl rollout undo finds their maps', () => {
    const v1 = render({ 'app.conf': 'a=1' }).config.name;
    const v2 = render({ 'app.conf': 'a=2' }).config.name;
    const { config, objects } = render({ 'app.conf': 'a=3' }, { history: [{ 'app.conf': 'a=2' }, { 'app.conf': 'a=1' }] });
    expect(config.previousNames).toEqual([v2, v1]);
    expect(objects.map((o) => [o.metadata.name, o.data['app.conf'], o.immutable])).toEqual([
      [config.name, 'a=3', true],
      [v2, 'a=2', true],
      [v1, 'a=1', true],
    ]);
  });

  test('renders a reverted version once', () => {
    const { config, objects } = render({ 'app.conf': 'a=1' }, { history: [{ 'app.conf': 'a=2' }, { 'app.conf': 'a=1' }] });
    expect(objects.map((o) => o.metadata.name)).toEqual([config.name, render({ 'app.conf': 'a=2' }).config.name]);
  });

  test('fails if history holds more than keepVersions - 1 versions, naming the fix', () => {
    const history = [{ a: '3' }, { a: '2' }, { a: '1' }];
    expect(() => render({ a: '4' }, { history })).toThrow(/'history' of config 'web' has 3 versions but keepVersions 3 keeps 2 earlier ones; delete the oldest entries/);
    expect(render({ a: '4' }, { history, keepVersions: 4 }).objects).toHaveLength(4);
    expect(() => render({ a: '1' }, { keepVersions: 0 })).toThrow(/'keepVersions' of config 'web' is 0/);
  });

  test('fails if there is no data', () => {
    expect(() => render({})).toThrow(/'data' of config 'web' is empty/);
  });

  test('fails if a key is not a file name', () => {
    expect(() => render({ 'conf/app': 'x' })).toThrow(/config key 'conf\/app' of 'web' must be a file name/);
  });
});

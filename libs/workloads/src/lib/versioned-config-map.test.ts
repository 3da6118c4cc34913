import { Testing } from 'cdk8s';
import { describe, expect, test } from 'vitest';
import { VersionedConfigMap } from './versioned-config-map';

function render(data: Record<string, string>) {
  const chart = Testing.chart();
  const config = new VersionedConfigMap(chart, 'Config', { name: 'web', namespace: 'team-a', data, labels: { team: 'team-a' } });
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

  test('fails if there is no data', () => {
    expect(() => render({})).toThrow(/'data' of config 'web' is empty/);
  });

  test('fails if a key is not a file name', () => {
    expect(() => render({ 'conf/app': 'x' })).toThrow(/config key 'conf\/app' of 'web' must be a file name/);
  });
});

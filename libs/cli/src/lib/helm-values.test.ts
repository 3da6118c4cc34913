import { describe, expect, it } from 'vitest';
import type { Finding } from '@flotilla/model';
import { HelmValuesCatalog } from '@flotilla/schemas';
import { checkHelmValues } from '@flotilla/validate';
import { devCluster, editDev, errorsOf } from '../testing';

// Issue 14 part 2: the values of every HelmRelease are checked against the values.schema.json of
// the chart version it installs (vendored in libs/upstream/charts), through every check synth and
// `flotilla validate` share (checkCluster), on the committed render of the example fleet.

const release = (unit: string, name: string) => `infra-controllers/${unit}/HelmRelease.helm.toolkit.fluxcd.io_${name}.yaml`;
const ESO = release('external-secrets', 'external-secrets_external-secrets');
const RELOADER = release('reloader', 'reloader_reloader');
const ACK_SERVICES = ['iam', 'eks', 'rds', 'lambda', 'eventbridge', 'secretsmanager', 's3', 'sqs', 'prometheusservice', 'cloudwatch', 'sns'] as const;
const ACK_VERSIONS: Record<(typeof ACK_SERVICES)[number], string> = {
  iam: '1.8.1',
  eks: '1.20.0',
  rds: '1.11.1',
  lambda: '1.14.1',
  eventbridge: '1.5.1',
  secretsmanager: '1.4.1',
  s3: '1.10.0',
  sqs: '1.6.1',
  prometheusservice: '1.4.3',
  cloudwatch: '1.8.1',
  sns: '1.6.0',
};

/** Exactly one error, on the edited HelmRelease of dev, naming field, chart, schema file and fix. */
function expectOne(findings: Finding[], file: string, expected: Partial<Finding> & { code: string; path: string }): Finding {
  expect(findings).toEqual([expect.objectContaining({ ...expected, file: `clusters/dev/${file}`, cluster: 'dev', severity: 'error' })]);
  const [finding] = findings;
  expect(finding!.object).toMatch(/^HelmRelease /);
  if (expected.code !== 'helm/values-schema-missing') expect(finding!.fix).toMatch(/schema: libs\/upstream\/charts\/.+\/values\.schema\.json/);
  return finding!;
}

describe('Helm values of the example fleet', () => {
  it('pass the values schema of every chart version that ships one (dev and prod)', () => {
    const dev = devCluster();
    const releases = dev.filter((entry) => entry.object.kind === 'HelmRelease');
    expect(releases.length).toBeGreaterThanOrEqual(10);
    expect(checkHelmValues(dev)).toEqual([]);
    expect(errorsOf(dev).filter((f) => f.code.startsWith('helm/'))).toEqual([]);
  });
});

describe('the vendored chart schemas', () => {
  it('are the charts the fleet pins with a schema, and each chart version accepts its own defaults', () => {
    const catalog = HelmValuesCatalog.load();
    expect(catalog.entries.map((e) => `${e.chart}@${e.version}`).sort()).toEqual(
      ['cert-manager@1.21.1', 'external-secrets@2.9.0', 'reloader@2.2.16', ...ACK_SERVICES.map((s) => `${s}-chart@${ACK_VERSIONS[s]}`)].sort(),
    );
    const releases = catalog.entries.map((e, i) => ({
      file: `clusters/x/r${i}.yaml`,
      index: 0,
      cluster: 'x',
      object: { apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', metadata: { name: e.chart, namespace: 'x' }, spec: { chart: { spec: { chart: e.chart, version: e.version } } } },
    }));
    expect(checkHelmValues(releases)).toEqual([]);
  });
});

describe('a wrong Helm value fails with the field, the chart version and the fix', () => {
  it('external-secrets 2.9.0: a quoted replicaCount', () => {
    const objects = editDev(ESO, (o) => (o.spec.values.replicaCount = '2'));
    const finding = expectOne(errorsOf(objects), ESO, { code: 'helm/values-type', path: 'spec.values.replicaCount' });
    expect(finding.message).toBe('chart external-secrets 2.9.0 rejects the values: "2" is a string, expected an integer');
    expect(finding.fix).toMatch(/^write 2 without quotes/);
  });

  it("external-secrets 2.9.0: '512MB' where the schema wants an object", () => {
    const objects = editDev(ESO, (o) => (o.spec.values.resources = '512MB'));
    const finding = expectOne(errorsOf(objects), ESO, { code: 'helm/values-type', path: 'spec.values.resources' });
    expect(finding.message).toBe('chart external-secrets 2.9.0 rejects the values: "512MB" is a string, expected an object');
    expect(finding.fix).toMatch(/^write an object here/);
  });

  it('reloader 2.2.16: a reload strategy the chart does not know', () => {
    const objects = editDev(RELOADER, (o) => (o.spec.values.reloader.reloadStrategy = 'annotation'));
    const finding = expectOne(errorsOf(objects), RELOADER, { code: 'helm/values-enum', path: 'spec.values.reloader.reloadStrategy' });
    expect(finding.message).toBe('chart reloader 2.2.16 rejects the values: "annotation" is not one of "default", "env-vars", "annotations"');
    expect(finding.fix).toMatch(/^did you mean "annotations"\?/);
  });

  it.each(ACK_SERVICES)('ACK %s chart: a deletion policy the chart does not know, and a resource tag without "="', (service) => {
    const file = release(`ack.${service}`, `ack-system_ack-${service}-controller`);
    const objects = editDev(file, (o) => {
      o.spec.values.deletionPolicy = 'Retain';
      o.spec.values.resourceTags = [...o.spec.values.resourceTags, 'team'];
    });
    const findings = errorsOf(objects)
      .filter((f) => f.code.startsWith('helm/'))
      .sort((a, b) => (a.path! < b.path! ? -1 : 1));
    expect(findings).toEqual([
      expect.objectContaining({ code: 'helm/values-enum', path: 'spec.values.deletionPolicy', file: `clusters/dev/${file}`, cluster: 'dev' }),
      expect.objectContaining({ code: 'helm/values-pattern', path: 'spec.values.resourceTags[3]', file: `clusters/dev/${file}`, cluster: 'dev' }),
    ]);
    expect(findings[0]!.message).toBe(`chart ${service}-chart ${ACK_VERSIONS[service]} rejects the values: "Retain" is not one of "delete", "retain"`);
    expect(findings[0]!.fix).toMatch(/^did you mean "retain"\?/);
    expect(findings[1]!.message).toBe(`chart ${service}-chart ${ACK_VERSIONS[service]} rejects the values: "team" does not match the pattern (^$|^.*=.*$)`);
    expect(findings[1]!.fix).toMatch(/^change the value to match the pattern/);
  });

  it('a null that removes a value the schema requires (Helm deletes the default) is caught after merging the defaults', () => {
    const file = release('ack.iam', 'ack-system_ack-iam-controller');
    const objects = editDev(file, (o) => (o.spec.values.image = { tag: null }));
    const finding = expectOne(errorsOf(objects), file, { code: 'helm/values-required', path: 'spec.values.image.tag' });
    expect(finding.message).toBe('chart iam-chart 1.8.1 rejects the values: missing required field "tag"');
  });

  it('leaves charts without a vendored schema alone (karpenter, kong, …)', () => {
    const file = release('kong', 'kong_kong');
    const objects = editDev(file, (o) => (o.spec.values.replicaCount = 'many'));
    expect(checkHelmValues(objects)).toEqual([]);
  });
});

describe('the values schema is bound to the chart version', () => {
  it('a HelmRepository chart bumped without vendoring its schema fails and says how to vendor it', () => {
    const RELOADER = release('reloader', 'reloader_reloader');
    const objects = editDev(RELOADER, (o) => (o.spec.chart.spec.version = '2.2.17'));
    const finding = expectOne(errorsOf(objects).filter((f) => f.code.startsWith('helm/')), RELOADER, {
      code: 'helm/values-schema-missing',
      path: 'spec.chart.spec.version',
    });
    expect(finding.message).toBe('chart reloader 2.2.17 has no vendored values schema (libs/upstream has 2.2.16), so its values cannot be checked');
    expect(finding.fix).toMatch(/^vendor it with nx run upstream:refresh -- --family chart-reloader --version 2\.2\.17 /);
  });

  it('an OCI chart (ACK) bumped on its OCIRepository is caught on the HelmRelease that uses it', () => {
    const objects = editDev('infra-controllers/ack.s3/OCIRepository.source.toolkit.fluxcd.io_ack-system_ack-s3-controller.yaml', (o) => (o.spec.ref.tag = '1.11.0'));
    const [finding, ...rest] = errorsOf(objects).filter((f) => f.code.startsWith('helm/'));
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      code: 'helm/values-schema-missing',
      file: `clusters/dev/${release('ack.s3', 'ack-system_ack-s3-controller')}`,
      message: 'chart s3-chart 1.11.0 has no vendored values schema (libs/upstream has 1.10.0), so its values cannot be checked (version from spec.ref.tag of OCIRepository ack-system/ack-s3-controller)',
    });
    expect(finding!.fix).toContain('nx run upstream:refresh -- --family chart-ack-s3 --version 1.11.0');
  });
});

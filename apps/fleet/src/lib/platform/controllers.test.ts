import { describe, expect, it } from 'vitest';
import type { ClusterConfig, Unit } from '@flotilla/config';
import { apiGroupOf, isBuiltInApiGroup, type RenderedObject } from '@flotilla/model';
import { SchemaValidator, checkReferences } from '@flotilla/validate';
import { dev, prod } from '../../index';
import type { FleetCluster } from '../fleet-defaults';
import { facts as devFacts } from '../clusters/dev/facts';
import { facts as prodFacts } from '../clusters/prod/facts';
import { renderCluster } from '../../testing';
import type { ClusterPlatform } from './settings';
import { platformControllers } from './controllers';
import { platformSettings } from './settings';


/** The units `area` contributes to `cluster`, as the cluster's config holds them (with its AWS-assigned ids). */
const unitsOf = (cluster: ClusterConfig, area: Unit[]): Unit[] => cluster.units.filter((unit) => area.some((own) => own.name === unit.name));
const platformOf = (c: FleetCluster): ClusterPlatform => ({ settings: platformSettings[c.environment], ids: {} });

const prodControllers = unitsOf(prod, platformControllers(prodFacts, platformOf(prodFacts)));
const devControllers = unitsOf(dev, platformControllers(devFacts, platformOf(devFacts)));

/** A cluster running only the add-on controllers (and their configs units), as Flux would apply them. */
function baseline(cluster: ClusterConfig, units: ClusterConfig['units']): RenderedObject[] {
  // Git delivery: OCI delivery's flux-verify Kustomization waits for the secret-stores unit, which
  // this controllers-only subset does not run (the full fleet's synth checks it).
  return renderCluster({ ...cluster, delivery: undefined }, units);
}

/**
 * Every custom resource must have its CRD installed by its own unit or one it depends on (transitively): the
 * check synth runs (validate's ref/crd-not-installed). Also counts the custom resources it judged.
 */
function crdOrder(objects: readonly RenderedObject[]): { checked: number; violations: string[] } {
  const checked = objects.filter(({ file, object }) => {
    const group = apiGroupOf(object.apiVersion);
    return !isBuiltInApiGroup(group) && !group.endsWith('.toolkit.fluxcd.io') && !file.includes('/sync/') && !file.includes('/flux-system/');
  }).length;
  const violations = checkReferences(objects)
    .filter((finding) => finding.code === 'ref/crd-not-installed')
    .map((finding) => `${finding.file!.split('/')[3]}: ${finding.message.split(' is applied by')[0]}`)
    .sort();
  return { checked, violations };
}

describe.each([
  ['dev', dev, devControllers],
  ['prod', prod, prodControllers],
] as const)('platform controllers on %s', (_name, cluster, units) => {
  const objects = baseline(cluster, units);

  it('installs every custom resource’s CRD in a unit it depends on', () => {
    const { checked, violations } = crdOrder(objects);
    // ACK Roles/associations, Crossplane Provider/runtime config/ProviderConfig, GatewayClass.
    expect(checked).toBeGreaterThanOrEqual(20);
    expect(violations).toEqual([]);
  });

  it('passes the schema validator (CRD schemas, CEL rules, Kubernetes schemas) with zero errors', () => {
    const errors = SchemaValidator.load()
      .validate(objects, { kubernetesVersion: cluster.kubernetesVersion })
      .filter((finding) => finding.severity === 'error');
    expect(errors).toEqual([]);
  });

  it('passes the reference checks (Flux sources, dependsOn, CRD providers, namespaces) with zero errors', () => {
    expect(checkReferences(objects).filter((finding) => finding.severity === 'error')).toEqual([]);
  });
});

describe('CRD ordering check', () => {
  it('fails if a unit uses a CRD from a unit it does not depend on', () => {
    // GIVEN the Crossplane provider unit without its dependency on the core unit
    const units = devControllers.map((unit) => (unit.name === 'crossplane.provider-aws-iam' ? { ...unit, dependsOn: ['crossplane.identity'] } : unit));
    // THEN its Provider and runtime config are reported
    expect(crdOrder(baseline(dev, units)).violations).toEqual([
      'crossplane.provider-aws-iam: DeploymentRuntimeConfig (pkg.crossplane.io)',
      'crossplane.provider-aws-iam: Provider (pkg.crossplane.io)',
    ]);
  });
});

describe('dev platform controllers baseline', () => {
  it('renders these units, objects and charts (snapshot)', () => {
    const summary: Record<string, string[]> = {};
    for (const { file, object } of baseline(dev, devControllers)) {
      if (file.includes('/sync/') || file.includes('/flux-system/')) continue;
      const spec = object.spec as { chart?: { spec: { chart: string; version: string } }; ref?: { tag: string }; package?: string } | undefined;
      const pin = spec?.chart ? ` ${spec.chart.spec.chart}@${spec.chart.spec.version}` : spec?.ref?.tag ? ` @${spec.ref.tag}` : spec?.package ? ` ${spec.package}` : '';
      (summary[file.split('/').slice(2, 4).join('/')] ??= []).push(`${object.kind} ${object.metadata.namespace ? `${object.metadata.namespace}/` : ''}${object.metadata.name}${pin}`);
    }
    expect(summary).toMatchSnapshot();
  });
});

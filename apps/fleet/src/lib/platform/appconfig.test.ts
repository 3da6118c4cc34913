import { describe, expect, it } from 'vitest';
import type { ClusterConfig, Unit } from '@flotilla/config';
import type { RenderedObject } from '@flotilla/model';
import { evaluatePolicies } from '@flotilla/policy';
import { SchemaValidator, checkAppConfigSchemas, checkReferences, checkSecrets } from '@flotilla/validate';
import { dev, prod } from '../../index';
import type { FleetCluster } from '../fleet-defaults';
import { facts as devFacts } from '../clusters/dev/facts';
import { facts as prodFacts } from '../clusters/prod/facts';
import { policyTemplates, renderCluster } from '../../testing';
import { appconfigUnits } from './appconfig';
import type { ClusterPlatform } from './settings';
import { platformSettings } from './settings';


/** The units `area` contributes to `cluster`, as the cluster's config holds them (with its AWS-assigned ids). */
const unitsOf = (cluster: ClusterConfig, area: Unit[]): Unit[] => cluster.units.filter((unit) => area.some((own) => own.name === unit.name));
const platformOf = (c: FleetCluster): ClusterPlatform => ({ settings: platformSettings[c.environment], ids: {} });

const prodAppconfig = unitsOf(prod, appconfigUnits(prodFacts, platformOf(prodFacts)));
const devAppconfig = unitsOf(dev, appconfigUnits(devFacts, platformOf(devFacts)));

const templates = policyTemplates();

/** The cluster as Flux would apply it, with `units` in place of its own units of the same names. */
function render(cluster: ClusterConfig, units: ClusterConfig['units']): RenderedObject[] {
  return renderCluster(cluster, [...cluster.units.filter((u) => !units.some((a) => a.name === u.name)), ...units]);
}

describe.each([
  ['dev', dev, devAppconfig],
  ['prod', prod, prodAppconfig],
] as const)('AppConfig units on %s', (name, cluster, units) => {
  const objects = render(cluster, units);
  const ours = objects.filter((o) => /\/(appconfig-sync-platform|config-demo)\//.test(o.file));

  it('renders the platform unit in infra-configs and the example app in apps', () => {
    const folders = new Set(ours.map((o) => o.file.split('/').slice(0, 4).join('/')));
    expect([...folders].sort()).toEqual([`clusters/${name}/apps/config-demo`, `clusters/${name}/infra-configs/appconfig-sync-platform`]);
    expect(ours.filter((o) => o.object.kind === 'Rule')).toHaveLength(1);
    // the app's version hash (team-a) and the profile's JSON Schema (crossplane-system, for the provider)
    expect(ours.filter((o) => o.object.kind === 'ExternalSecret').map((o) => `${o.object.metadata.namespace}/${o.object.metadata.name}`).sort()).toEqual([
      'crossplane-system/team-a-config-demo-appconfig-schema',
      'team-a/config-demo-appconfig-version',
    ]);
    // every freeform profile has its JSON_SCHEMA validator, under the name of the schema it carries
    expect(checkAppConfigSchemas(ours)).toEqual([]);
  });

  it('passes the schemas with zero errors and its references resolve', () => {
    expect(SchemaValidator.load().validate(ours).filter((f) => f.severity === 'error')).toEqual([]);
    const findings = checkReferences(objects).filter((f) => f.severity === 'error' && /appconfig-sync-platform|config-demo/.test(`${f.file} ${f.message}`));
    expect(findings.map((f) => `${f.code}: ${f.message}`)).toEqual([]);
    expect(checkSecrets(ours).filter((f) => f.severity === 'error')).toEqual([]);
  });

  it("passes the cluster's Gatekeeper constraints", () => {
    const constraints = objects.filter((o) => o.object.apiVersion.startsWith('constraints.gatekeeper.sh/')).map((o) => o.object);
    const namespaces = objects.filter((o) => o.object.kind === 'Namespace');
    const violations = evaluatePolicies({ templates, constraints, objects: [...ours, ...namespaces] }).filter((v) => !v.file || ours.some((o) => o.file === v.file));
    expect(violations.map((v) => `${v.constraintKind}/${v.constraintName} ${v.file ?? ''}: ${v.message}`)).toEqual([]);
  });
});

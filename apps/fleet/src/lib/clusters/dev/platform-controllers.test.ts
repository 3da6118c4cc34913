import { describe, expect, it } from 'vitest';
import type { ClusterConfig } from '@flotilla/config';
import { apiGroupOf, type RenderedObject } from '@flotilla/model';
import { SchemaValidator, checkReferences } from '@flotilla/validate';
import { prod } from '../prod/index';
import { platformControllers as prodControllers } from '../prod/platform-controllers';
import { renderCluster } from '../../../testing';
import { dev } from './index';
import { platformControllers as devControllers } from './platform-controllers';

/** A cluster running only the add-on controllers (and their configs units), as Flux would apply them. */
function baseline(cluster: ClusterConfig, units: ClusterConfig['units']): RenderedObject[] {
  return renderCluster(cluster, units);
}

const INSTALLS_CRDS = 'flotilla.dev/installs-crds';
/** Groups served by Kubernetes itself (no CRD needed). */
const BUILTIN = /^(|apps|batch|policy|autoscaling|[a-z]+\.k8s\.io|rbac\.authorization\.k8s\.io|admissionregistration\.k8s\.io|apiextensions\.k8s\.io)$/;
const isBuiltin = (group: string) => BUILTIN.test(group) && group !== 'gateway.networking.k8s.io' && !group.endsWith('.x-k8s.io');

/** Unit (Flux Kustomization) name of a rendered file: `clusters/<c>/<layer>/<unit>/…`. */
const unitOf = (file: string) => file.split('/')[3]!;

/**
 * Every custom resource must have its CRD installed by its own unit or one it depends on
 * (transitively). A unit installs the groups annotated with `flotilla.dev/installs-crds` on any of
 * its objects: HelmReleases, the Crossplane `Provider`, the Gateway API Flux `Kustomization`.
 */
function crdOrder(objects: readonly RenderedObject[]): { checked: number; violations: string[] } {
  const provides = new Map<string, Set<string>>();
  const dependsOn = new Map<string, string[]>();
  for (const { file, object } of objects) {
    if (file.includes('/sync/') && object.kind === 'Kustomization') {
      const spec = object.spec as { dependsOn?: { name: string }[] };
      dependsOn.set(object.metadata.name, (spec.dependsOn ?? []).map((dependency) => dependency.name));
      continue;
    }
    const groups = object.metadata.annotations?.[INSTALLS_CRDS];
    if (!groups || file.includes('/sync/') || file.includes('/flux-system/')) continue;
    const set = provides.get(unitOf(file)) ?? new Set<string>();
    groups.split(',').forEach((group) => set.add(group));
    provides.set(unitOf(file), set);
  }
  const closure = (unit: string): Set<string> => {
    const seen = new Set([unit]);
    const queue = [unit];
    while (queue.length > 0) {
      for (const next of dependsOn.get(queue.shift()!) ?? []) {
        if (seen.has(next)) continue;
        seen.add(next);
        queue.push(next);
      }
    }
    return seen;
  };
  const violations: string[] = [];
  let checked = 0;
  for (const { file, object } of objects) {
    const group = apiGroupOf(object.apiVersion);
    if (isBuiltin(group) || group.endsWith('.toolkit.fluxcd.io') || file.includes('/sync/') || file.includes('/flux-system/')) continue;
    checked++;
    const unit = unitOf(file);
    if (![...closure(unit)].some((candidate) => provides.get(candidate)?.has(group))) violations.push(`${unit}: ${object.kind} ${object.metadata.name} (${group})`);
  }
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
      'crossplane.provider-aws-iam: DeploymentRuntimeConfig provider-aws-iam (pkg.crossplane.io)',
      'crossplane.provider-aws-iam: Provider provider-aws-iam (pkg.crossplane.io)',
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

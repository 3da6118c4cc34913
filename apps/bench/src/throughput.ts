// Run with tsx inside a benchmark workspace: schema-validation and policy-evaluation throughput over
// the fleet's rendered objects (a JSON fixture written by the harness), in process, after one
// warm-up pass so that compilation (ajv validators, CEL programs) is reported separately.
// Usage: tsx throughput.ts <fixture.json> <passes>
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KubernetesVersion } from '@flotilla/config';
import type { RenderedObject } from '@flotilla/model';
import { evaluatePolicies, loadPolicyLibrary } from '@flotilla/policy';
import { SchemaValidator } from '@flotilla/validate';
import type { Fixture } from './fixture';

export interface ThroughputResult {
  readonly objects: number;
  readonly clusters: number;
  /** Catalog load (`SchemaValidator.load()`), ms. */
  readonly schemaLoadMs: number;
  /** First pass minus the median steady pass: compiling the ajv validators and CEL rules, ms. */
  readonly schemaCompileMs: number;
  readonly schemaPassMs: number[];
  readonly schemaErrors: number;
  readonly constraints: number;
  /** Sum over clusters of objects × constraints. */
  readonly pairs: number;
  readonly policyFirstPassMs: number;
  readonly policyPassMs: number[];
  readonly violations: number;
}

function time(run: () => void): number {
  const started = performance.now();
  run();
  return performance.now() - started;
}

function main(): void {
  const [fixtureFile, passArg] = process.argv.slice(2);
  const passes = Number(passArg ?? 5);
  const fixture = JSON.parse(readFileSync(fixtureFile!, 'utf8')) as Fixture;
  const byCluster = new Map<string, RenderedObject[]>();
  for (const entry of fixture.objects) {
    if (entry.object.apiVersion.startsWith('kustomize.config.k8s.io/')) continue;
    const list = byCluster.get(entry.cluster) ?? [];
    list.push({ file: entry.file, index: entry.index, object: entry.object, cluster: entry.cluster });
    byCluster.set(entry.cluster, list);
  }
  const versions = new Map(fixture.clusters.map((cluster) => [cluster.name, cluster.kubernetesVersion as KubernetesVersion]));

  let validator: SchemaValidator | undefined;
  const schemaLoadMs = time(() => (validator = SchemaValidator.load()));
  let schemaErrors = 0;
  const schemaPass = () => {
    schemaErrors = 0;
    for (const [cluster, objects] of byCluster) {
      schemaErrors += validator!.validate(objects, { kubernetesVersion: versions.get(cluster) }).filter((finding) => finding.severity === 'error').length;
    }
  };
  const schemaFirst = time(schemaPass);
  const schemaPassMs = Array.from({ length: passes }, () => time(schemaPass));

  const templates = loadPolicyLibrary(join(process.cwd(), 'policies')).templates;
  let constraints = 0;
  let pairs = 0;
  const inputs = [...byCluster.values()].map((objects) => {
    const clusterConstraints = objects.filter((entry) => entry.object.apiVersion.startsWith('constraints.gatekeeper.sh/')).map((entry) => entry.object);
    constraints += clusterConstraints.length;
    pairs += clusterConstraints.length * objects.length;
    return { templates, constraints: clusterConstraints, objects };
  });
  let violations = 0;
  const policyPass = () => {
    violations = 0;
    for (const input of inputs) violations += evaluatePolicies(input).length;
  };
  const policyFirstPassMs = time(policyPass);
  const policyPassMs = Array.from({ length: passes }, () => time(policyPass));

  const median = [...schemaPassMs].sort((a, b) => a - b)[Math.floor(passes / 2)]!;
  const result: ThroughputResult = {
    objects: [...byCluster.values()].reduce((sum, objects) => sum + objects.length, 0),
    clusters: byCluster.size,
    schemaLoadMs,
    schemaCompileMs: Math.max(0, schemaFirst - median),
    schemaPassMs,
    schemaErrors,
    constraints,
    pairs,
    policyFirstPassMs,
    policyPassMs,
    violations,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main();

import { apiGroupOf, describeObject, findingFor, INSTALLS_CRDS_ANNOTATION, isBuiltInApiGroup, type Finding, type RenderedObject } from '@flotilla/model';
import { field, listOf, type ClusterIndex } from './cluster-index';

const KUSTOMIZE = 'kustomize.toolkit.fluxcd.io';
const HELM = 'helm.toolkit.fluxcd.io';
const SOURCE = 'source.toolkit.fluxcd.io';

interface Ref {
  kind?: string;
  name?: string;
  namespace?: string;
}

/** Objects `flux bootstrap` creates, which rendered output may refer to without declaring. */
function bootstrapped(group: string, kind: string, namespace: string, name: string): boolean {
  return namespace === 'flux-system' && name === 'flux-system' && ((group === SOURCE && kind === 'GitRepository') || (group === KUSTOMIZE && kind === 'Kustomization'));
}

function checkSourceRef(index: ClusterIndex, rendered: RenderedObject, ref: Ref | undefined, path: string, allowed: readonly string[]): Finding[] {
  if (!ref?.name) return [];
  const namespace = ref.namespace ?? rendered.object.metadata.namespace ?? 'default';
  const kind = ref.kind ?? allowed[0]!;
  if (index.has(SOURCE, kind, namespace, ref.name) || bootstrapped(SOURCE, kind, namespace, ref.name)) return [];
  return [
    findingFor(rendered, {
      severity: 'error',
      code: 'ref/missing-source',
      path,
      message: `${kind} ${namespace}/${ref.name} does not exist in cluster ${index.cluster ?? '(none)'}`,
      fix: `add the ${kind} ${namespace}/${ref.name} or point ${path} at an existing ${allowed.join('/')}`,
    }),
  ];
}

/** (a) Flux sourceRefs, chartRefs and dependsOn targets exist; dependsOn graphs are acyclic. */
export function checkFluxReferences(index: ClusterIndex): Finding[] {
  const findings: Finding[] = [];
  for (const rendered of index.ofKind(KUSTOMIZE, 'Kustomization')) {
    const spec = rendered.object.spec;
    findings.push(...checkSourceRef(index, rendered, field<Ref>(spec, 'sourceRef'), 'spec.sourceRef', ['GitRepository', 'OCIRepository', 'Bucket', 'ExternalArtifact']));
  }
  for (const rendered of index.ofKind(HELM, 'HelmRelease')) {
    const spec = rendered.object.spec;
    findings.push(...checkSourceRef(index, rendered, field<Ref>(spec, 'chart', 'spec', 'sourceRef'), 'spec.chart.spec.sourceRef', ['HelmRepository', 'GitRepository', 'Bucket']));
    findings.push(...checkSourceRef(index, rendered, field<Ref>(spec, 'chartRef'), 'spec.chartRef', ['OCIRepository', 'HelmChart', 'ExternalArtifact']));
  }
  findings.push(...checkValuesSources(index));
  findings.push(...checkVerifySecrets(index));
  for (const [group, kind] of [[KUSTOMIZE, 'Kustomization'], [HELM, 'HelmRelease']] as const) {
    findings.push(...checkDependsOn(index, group, kind));
  }
  return findings;
}

/**
 * HelmRelease `valuesFrom` and Kustomization `postBuild.substituteFrom` name ConfigMaps/Secrets in
 * the object's namespace; Flux stops reconciling when a non-optional one is missing.
 */
function checkValuesSources(index: ClusterIndex): Finding[] {
  const findings: Finding[] = [];
  const sources: [string, string, string[]][] = [
    [HELM, 'HelmRelease', ['valuesFrom']],
    [KUSTOMIZE, 'Kustomization', ['postBuild', 'substituteFrom']],
  ];
  for (const [group, kind, path] of sources) {
    for (const rendered of index.ofKind(group, kind)) {
      const namespace = rendered.object.metadata.namespace ?? 'default';
      const refs = listOf<{ kind?: string; name?: string; optional?: boolean }>(field(rendered.object.spec, ...path));
      refs.forEach((ref, i) => {
        if (!ref?.name || ref.optional === true) return;
        const exists = ref.kind === 'Secret' ? index.secretExists(namespace, ref.name) : index.has('', 'ConfigMap', namespace, ref.name);
        if (exists) return;
        findings.push(
          findingFor(rendered, {
            severity: 'error',
            code: ref.kind === 'Secret' ? 'ref/missing-secret' : 'ref/missing-configmap',
            path: `spec.${path.join('.')}[${i}]`,
            message: `${ref.kind ?? 'ConfigMap'} ${namespace}/${ref.name} does not exist in cluster ${index.cluster ?? '(none)'}`,
            fix: `add it in ${namespace}${ref.kind === 'Secret' ? ' (through an ExternalSecret)' : ''} or mark the reference optional: true`,
          }),
        );
      });
    }
  }
  return findings;
}

/**
 * An OCIRepository's `spec.verify.secretRef` (the cosign public key) must exist in its namespace:
 * without it source-controller refuses every artifact and nothing reconciles.
 */
function checkVerifySecrets(index: ClusterIndex): Finding[] {
  const findings: Finding[] = [];
  for (const rendered of index.ofKind(SOURCE, 'OCIRepository')) {
    const name = field<string>(rendered.object.spec, 'verify', 'secretRef', 'name');
    const namespace = rendered.object.metadata.namespace ?? 'default';
    if (!name || index.secretExists(namespace, name)) continue;
    findings.push(
      findingFor(rendered, {
        severity: 'error',
        code: 'ref/missing-secret',
        path: 'spec.verify.secretRef.name',
        message: `Secret ${namespace}/${name} (the verification public key) does not exist in cluster ${index.cluster ?? '(none)'}`,
        fix: `sync it into ${namespace} with an ExternalSecret whose target is ${name} (OCI delivery renders one from delivery.verify)`,
      }),
    );
  }
  return findings;
}

function dependencyKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

function checkDependsOn(index: ClusterIndex, group: string, kind: string): Finding[] {
  const findings: Finding[] = [];
  const graph = new Map<string, string[]>();
  const objects = new Map<string, RenderedObject>();
  let others: string[] | undefined;
  for (const rendered of index.ofKind(group, kind)) {
    const namespace = rendered.object.metadata.namespace ?? 'default';
    const self = dependencyKey(namespace, rendered.object.metadata.name);
    objects.set(self, rendered);
    const edges: string[] = [];
    const dependsOn = listOf<Ref>(field(rendered.object.spec, 'dependsOn'));
    dependsOn.forEach((dependency, i) => {
      if (!dependency?.name) return;
      const targetNamespace = dependency.namespace ?? namespace;
      edges.push(dependencyKey(targetNamespace, dependency.name));
      if (!index.has(group, kind, targetNamespace, dependency.name) && !bootstrapped(group, kind, targetNamespace, dependency.name)) {
        others ??= index.ofKind(group, kind).map((o) => o.object.metadata.name).sort().slice(0, 8);
        findings.push(
          findingFor(rendered, {
            severity: 'error',
            code: 'ref/missing-dependency',
            path: `spec.dependsOn[${i}]`,
            message: `depends on ${kind} ${targetNamespace}/${dependency.name}, which does not exist in cluster ${index.cluster ?? '(none)'}`,
            fix: others.length > 0 ? `depend on one of the existing ${kind}s (${others.join(', ')}) or add ${dependency.name}` : `add the ${kind} ${dependency.name} or remove the dependency`,
          }),
        );
      }
    });
    graph.set(self, edges);
  }
  for (const cycle of findCycles(graph)) {
    const first = objects.get(cycle[0]!)!;
    findings.push(
      findingFor(first, {
        severity: 'error',
        code: 'ref/dependency-cycle',
        path: 'spec.dependsOn',
        message: `dependsOn cycle: ${[...cycle, cycle[0]].map((key) => `${kind} ${key}`).join(' → ')}`,
        fix: 'remove one dependsOn entry of the cycle; Flux never reconciles objects that wait on each other',
      }),
    );
  }
  return findings;
}

/** Elementary cycles found by DFS, each reported once, starting at its smallest key. */
export function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const cycles = new Map<string, string[]>();
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string) => {
    state.set(node, 'visiting');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue;
      if (state.get(next) === 'visiting') {
        const cycle = stack.slice(stack.indexOf(next));
        const start = cycle.indexOf([...cycle].sort()[0]!);
        const normalized = [...cycle.slice(start), ...cycle.slice(0, start)];
        cycles.set(normalized.join('|'), normalized);
      } else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of [...graph.keys()].sort()) if (!state.has(node)) visit(node);
  return [...cycles.values()];
}

function normalizePath(path: string): string {
  return path.replace(/^\.\//, '').replace(/^\//, '').replace(/\/+$/, '');
}

/**
 * Finds, for a file, the Flux Kustomization whose `spec.path` is the deepest folder containing it.
 * Paths are indexed once, so each lookup walks only the file's own folders.
 */
export function kustomizationOwners(kustomizations: readonly RenderedObject[]): (file: string) => RenderedObject | undefined {
  const byPath = new Map<string, RenderedObject>();
  for (const kustomization of kustomizations) {
    const path = normalizePath(String(field(kustomization.object.spec, 'path') ?? ''));
    if (!byPath.has(path)) byPath.set(path, kustomization);
  }
  return (file) => {
    for (let end = file.lastIndexOf('/'); end > 0; end = file.lastIndexOf('/', end - 1)) {
      const owner = byPath.get(file.slice(0, end));
      if (owner) return owner;
    }
    return byPath.get('');
  };
}


/**
 * (b) Every custom resource's CRD is installed by its own Flux Kustomization or by one it
 * (transitively) depends on: by a CustomResourceDefinition under the Kustomization's path, or an
 * installer there annotated `flotilla.dev/installs-crds` (a HelmRelease, or a Crossplane Provider
 * package, whose CRDs the package manager creates), a Gatekeeper ConstraintTemplate (for
 * `constraints.gatekeeper.sh`) or a Crossplane CompositeResourceDefinition (for its group).
 */
export function checkCrdProviders(index: ClusterIndex): Finding[] {
  const kustomizations = [...index.ofKind(KUSTOMIZE, 'Kustomization')];
  if (kustomizations.length === 0) return [];
  const keyOf = (k: RenderedObject) => dependencyKey(k.object.metadata.namespace ?? 'default', k.object.metadata.name);
  const provides = new Map<string, Set<string>>();
  const owner = new Map<RenderedObject, RenderedObject | undefined>();
  const ownerOf = kustomizationOwners(kustomizations);
  for (const rendered of index.objects) {
    const kustomization = ownerOf(rendered.file);
    owner.set(rendered, kustomization);
    if (!kustomization) continue;
    const groups = provides.get(keyOf(kustomization)) ?? new Set<string>();
    const { object } = rendered;
    if (object.kind === 'CustomResourceDefinition' && apiGroupOf(object.apiVersion) === 'apiextensions.k8s.io') {
      const group = field<string>(object.spec, 'group');
      if (group) groups.add(group);
    }
    // Gatekeeper creates constraint CRDs from ConstraintTemplates, Crossplane XR CRDs from XRDs.
    if (object.kind === 'ConstraintTemplate' && apiGroupOf(object.apiVersion) === 'templates.gatekeeper.sh') groups.add('constraints.gatekeeper.sh');
    if (object.kind === 'CompositeResourceDefinition' && apiGroupOf(object.apiVersion) === 'apiextensions.crossplane.io') {
      const group = field<string>(object.spec, 'group');
      if (group) groups.add(group);
    }
    const annotation: unknown = object.metadata.annotations?.[INSTALLS_CRDS_ANNOTATION];
    if (typeof annotation === 'string') for (const group of annotation.split(',').map((g) => g.trim()).filter(Boolean)) groups.add(group);
    provides.set(keyOf(kustomization), groups);
  }
  const dependencies = new Map<string, string[]>();
  for (const k of kustomizations) {
    const namespace = k.object.metadata.namespace ?? 'default';
    dependencies.set(
      keyOf(k),
      listOf<Ref>(field(k.object.spec, 'dependsOn')).filter((d) => d?.name).map((d) => dependencyKey(d.namespace ?? namespace, d.name!)),
    );
  }
  const closures = new Map<string, Set<string>>();
  const closure = (start: string): Set<string> => {
    let seen = closures.get(start);
    if (seen) return seen;
    seen = new Set<string>([start]);
    const queue = [start];
    while (queue.length > 0) {
      for (const next of dependencies.get(queue.shift()!) ?? []) {
        if (!seen.has(next)) {
          seen.add(next);
          queue.push(next);
        }
      }
    }
    closures.set(start, seen);
    return seen;
  };
  const providers = new Map<string, string[]>();
  const providersOf = (group: string): string[] => {
    let list = providers.get(group);
    if (!list) {
      list = [...provides.entries()].filter(([, groups]) => groups.has(group)).map(([key]) => key).sort();
      providers.set(group, list);
    }
    return list;
  };
  // A Kustomization whose spec.path holds none of the objects points at the wrong folder (reported on
  // it, see checkFluxPaths); objects then found only through an ancestor folder are that unit's own,
  // and blaming the ancestor (usually the cluster's root Kustomization) would suggest a harmful fix.
  const folders = new Set<string>();
  for (const rendered of index.objects) for (let end = rendered.file.lastIndexOf('/'); end > 0; end = rendered.file.lastIndexOf('/', end - 1)) folders.add(rendered.file.slice(0, end));
  const dangling = kustomizations.some((k) => !folders.has(normalizePath(String(field(k.object.spec, 'path') ?? ''))));
  const findings: Finding[] = [];
  for (const rendered of index.objects) {
    const group = apiGroupOf(rendered.object.apiVersion);
    if (group === '' || group.endsWith('.toolkit.fluxcd.io') || isBuiltInApiGroup(group)) continue;
    const kustomization = owner.get(rendered);
    if (!kustomization) continue;
    const ownPath = normalizePath(String(field(kustomization.object.spec, 'path') ?? ''));
    if (dangling && ownPath !== rendered.file.slice(0, rendered.file.lastIndexOf('/'))) continue;
    const reachable = closure(keyOf(kustomization));
    if ([...reachable].some((key) => provides.get(key)?.has(group))) continue;
    const candidates = providersOf(group);
    findings.push(
      findingFor(rendered, {
        severity: 'error',
        code: 'ref/crd-not-installed',
        message: `${rendered.object.kind} (${group}) is applied by Kustomization ${describeObject(kustomization.object).replace(/^Kustomization /, '')}, which neither installs the ${group} CRDs nor depends on a Kustomization that does`,
        fix:
          candidates.length > 0
            ? `add dependsOn: [{ name: ${candidates[0]!.split('/')[1]} }] to Kustomization ${kustomization.object.metadata.name}`
            : `install the ${group} CRDs (a CustomResourceDefinition, or a HelmRelease annotated ${INSTALLS_CRDS_ANNOTATION}: "${group}") in a Kustomization that ${kustomization.object.metadata.name} depends on`,
      }),
    );
  }
  return findings;
}

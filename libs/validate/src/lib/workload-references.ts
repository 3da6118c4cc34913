import { apiGroupOf, findingFor, joinFieldPath, type Finding, type KubeObject, type RenderedObject } from '@flotilla/model';
import { field, isNamespacedKind, type ClusterIndex } from './cluster-index';
import { kustomizationOwners } from './flux-references';
import { POD_SPEC_PATHS } from './pod-specs';

const ESO = 'external-secrets.io';
const CSI = 'secrets-store.csi.x-k8s.io';

/** (c) Every namespaced object's namespace exists in its cluster. */
export function checkNamespaces(index: ClusterIndex): Finding[] {
  const findings: Finding[] = [];
  let ownerOf: ((file: string) => RenderedObject | undefined) | undefined;
  for (const rendered of index.objects) {
    const { object } = rendered;
    const namespace = object.metadata?.namespace;
    if (!namespace && isNamespacedKind(object.apiVersion, object.kind) === true) {
      ownerOf ??= kustomizationOwners(index.ofKind('kustomize.toolkit.fluxcd.io', 'Kustomization'));
      if (!field<string>(ownerOf(rendered.file)?.object.spec, 'targetNamespace')) {
        findings.push(
          findingFor(rendered, {
            severity: 'warning',
            code: 'ref/no-namespace',
            path: 'metadata.namespace',
            message: `${object.kind} is namespaced but has no metadata.namespace, so it lands in namespace "default"`,
            fix: "set metadata.namespace (or the Flux Kustomization's spec.targetNamespace)",
          }),
        );
      }
    }
    if (namespace && isNamespacedKind(object.apiVersion, object.kind) !== false && !index.namespaceExists(namespace)) {
      findings.push(
        findingFor(rendered, {
          severity: 'error',
          code: 'ref/missing-namespace',
          path: 'metadata.namespace',
          message: `namespace "${namespace}" does not exist in cluster ${index.cluster ?? '(none)'}`,
          fix: `add a Namespace ${namespace} to the cluster or fix metadata.namespace`,
        }),
      );
    }
    const target = object.kind === 'Kustomization' || object.kind === 'HelmRelease' ? field<string>(object.spec, 'targetNamespace') : undefined;
    const creates = field<boolean>(object.spec, 'install', 'createNamespace') === true;
    if (target && !creates && apiGroupOf(object.apiVersion).endsWith('.toolkit.fluxcd.io') && !index.namespaceExists(target)) {
      findings.push(
        findingFor(rendered, {
          severity: 'error',
          code: 'ref/missing-namespace',
          path: 'spec.targetNamespace',
          message: `target namespace "${target}" does not exist in cluster ${index.cluster ?? '(none)'}`,
          fix: `add a Namespace ${target} to the cluster${object.kind === 'HelmRelease' ? ' or set spec.install.createNamespace: true' : ''}`,
        }),
      );
    }
  }
  return findings;
}

/** A JSON object read leniently: any field may be missing or of another type (checked where used). */
type Loose = { readonly [key: string]: Loose };

function list(value: unknown): Loose[] {
  return Array.isArray(value) ? (value as Loose[]) : [];
}

interface Missing {
  code: string;
  kind: string;
  name: string;
  path: (string | number)[];
  fix: string;
}

function podSpecReferences(index: ClusterIndex, namespace: string, podSpec: Loose, base: (string | number)[]): Missing[] {
  const missing: Missing[] = [];
  const secret = (name: unknown, optional: unknown, path: (string | number)[]) => {
    if (typeof name === 'string' && optional !== true && !index.secretExists(namespace, name)) {
      missing.push({
        code: 'ref/missing-secret',
        kind: 'Secret',
        name,
        path: [...base, ...path],
        fix: `create it with an ExternalSecret (spec.target.name: ${name}) or a SecretProviderClass secretObjects entry, or mark the reference optional: true`,
      });
    }
  };
  const configMap = (name: unknown, optional: unknown, path: (string | number)[]) => {
    if (typeof name === 'string' && optional !== true && name !== 'kube-root-ca.crt' && !index.has('', 'ConfigMap', namespace, name)) {
      missing.push({ code: 'ref/missing-configmap', kind: 'ConfigMap', name, path: [...base, ...path], fix: `add the ConfigMap ${namespace}/${name} or mark the reference optional: true` });
    }
  };
  const serviceAccount: unknown = podSpec.serviceAccountName ?? podSpec.serviceAccount;
  if (typeof serviceAccount === 'string' && serviceAccount !== 'default' && !index.has('', 'ServiceAccount', namespace, serviceAccount)) {
    missing.push({
      code: 'ref/missing-service-account',
      kind: 'ServiceAccount',
      name: serviceAccount,
      path: [...base, podSpec.serviceAccountName ? 'serviceAccountName' : 'serviceAccount'],
      fix: `add the ServiceAccount ${namespace}/${serviceAccount} (with its IAM role annotation if it needs AWS access)`,
    });
  }
  list(podSpec.volumes).forEach((volume, i) => {
    if (!volume || typeof volume !== 'object') return;
    configMap(volume.configMap?.name, volume.configMap?.optional, ['volumes', i, 'configMap', 'name']);
    secret(volume.secret?.secretName, volume.secret?.optional, ['volumes', i, 'secret', 'secretName']);
    const claim: unknown = volume.persistentVolumeClaim?.claimName;
    if (typeof claim === 'string' && !index.has('', 'PersistentVolumeClaim', namespace, claim)) {
      missing.push({ code: 'ref/missing-pvc', kind: 'PersistentVolumeClaim', name: claim, path: [...base, 'volumes', i, 'persistentVolumeClaim', 'claimName'], fix: `add the PersistentVolumeClaim ${namespace}/${claim}` });
    }
    list(volume.projected?.sources).forEach((source, j) => {
      configMap(source?.configMap?.name, source?.configMap?.optional, ['volumes', i, 'projected', 'sources', j, 'configMap', 'name']);
      secret(source?.secret?.name, source?.secret?.optional, ['volumes', i, 'projected', 'sources', j, 'secret', 'name']);
    });
    const spc: unknown = volume.csi?.volumeAttributes?.secretProviderClass;
    if (typeof spc === 'string' && !index.has(CSI, 'SecretProviderClass', namespace, spc)) {
      missing.push({
        code: 'ref/missing-secret-provider-class',
        kind: 'SecretProviderClass',
        name: spc,
        path: [...base, 'volumes', i, 'csi', 'volumeAttributes', 'secretProviderClass'],
        fix: `add the SecretProviderClass ${namespace}/${spc} listing the AWS Secrets Manager objects to mount`,
      });
    }
  });
  for (const listName of ['initContainers', 'containers', 'ephemeralContainers'] as const) {
    list(podSpec[listName]).forEach((container, c) => {
      list(container?.envFrom).forEach((source, e) => {
        configMap(source?.configMapRef?.name, source?.configMapRef?.optional, [listName, c, 'envFrom', e, 'configMapRef', 'name']);
        secret(source?.secretRef?.name, source?.secretRef?.optional, [listName, c, 'envFrom', e, 'secretRef', 'name']);
      });
      list(container?.env).forEach((env, e) => {
        const from = env?.valueFrom;
        configMap(from?.configMapKeyRef?.name, from?.configMapKeyRef?.optional, [listName, c, 'env', e, 'valueFrom', 'configMapKeyRef', 'name']);
        secret(from?.secretKeyRef?.name, from?.secretKeyRef?.optional, [listName, c, 'env', e, 'valueFrom', 'secretKeyRef', 'name']);
      });
    });
  }
  return missing;
}

function podSpecOf(object: KubeObject): { spec: Loose; path: string[] } | undefined {
  const path = POD_SPEC_PATHS[`${apiGroupOf(object.apiVersion)}/${object.kind}`];
  if (!path) return undefined;
  const spec = field<Loose>(object, ...path);
  return spec && typeof spec === 'object' ? { spec, path: [...path] } : undefined;
}

/** (d) References from pod specs and ExternalSecrets to objects in the same namespace. */
export function checkWorkloadReferences(index: ClusterIndex): Finding[] {
  const findings: Finding[] = [];
  for (const rendered of index.objects) {
    const { object } = rendered;
    const namespace = object.metadata?.namespace ?? 'default';
    const pod = podSpecOf(object);
    if (pod) {
      for (const missing of podSpecReferences(index, namespace, pod.spec, pod.path)) {
        findings.push(
          findingFor(rendered, {
            severity: 'error',
            code: missing.code,
            path: joinFieldPath(missing.path),
            message: `${missing.kind} ${namespace}/${missing.name} does not exist in cluster ${index.cluster ?? '(none)'}`,
            fix: missing.fix,
          }),
        );
      }
    }
    findings.push(...secretStoreReference(index, rendered));
  }
  return findings;
}

function secretStoreReference(index: ClusterIndex, rendered: RenderedObject): Finding[] {
  const { object } = rendered;
  if (apiGroupOf(object.apiVersion) !== ESO) return [];
  const path =
    object.kind === 'ExternalSecret'
      ? ['spec', 'secretStoreRef']
      : object.kind === 'ClusterExternalSecret'
        ? ['spec', 'externalSecretSpec', 'secretStoreRef']
        : undefined;
  const ref = path ? field<{ name?: string; kind?: string }>(object, ...path) : undefined;
  if (!ref?.name) return [];
  const kind = ref.kind ?? 'SecretStore';
  const namespace = object.metadata.namespace;
  const exists = kind === 'ClusterSecretStore' ? index.has(ESO, 'ClusterSecretStore', undefined, ref.name) : index.has(ESO, 'SecretStore', namespace, ref.name);
  if (exists || (kind === 'SecretStore' && object.kind === 'ClusterExternalSecret')) return [];
  const clusterStores = index.ofKind(ESO, 'ClusterSecretStore').map((s) => s.object.metadata.name);
  return [
    findingFor(rendered, {
      severity: 'error',
      code: 'ref/missing-secret-store',
      path: joinFieldPath([...path!, 'name']),
      message: `${kind} ${kind === 'SecretStore' ? `${namespace}/` : ''}${ref.name} does not exist in cluster ${index.cluster ?? '(none)'}`,
      fix:
        kind === 'SecretStore' && clusterStores.length > 0
          ? `use the ClusterSecretStore (secretStoreRef: { kind: ClusterSecretStore, name: ${clusterStores.sort()[0]} }) or add a SecretStore ${ref.name} in ${namespace}`
          : `add the ${kind} ${ref.name} (AWS Secrets Manager provider)`,
    }),
  ];
}

import type { KubeObject, RenderedObject } from '@flotilla/model';

/** A CEL ConstraintTemplate with the given source, for tests. */
export function celTemplate(kind: string, source: Record<string, unknown>, schema?: Record<string, unknown>): KubeObject {
  return {
    apiVersion: 'templates.gatekeeper.sh/v1',
    kind: 'ConstraintTemplate',
    metadata: { name: kind.toLowerCase() },
    spec: {
      crd: { spec: { names: { kind }, ...(schema ? { validation: { openAPIV3Schema: schema } } : {}) } },
      targets: [{ target: 'admission.k8s.gatekeeper.sh', code: [{ engine: 'K8sNativeValidation', source }] }],
    },
  };
}

export function constraint(kind: string, name: string, spec: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: 'constraints.gatekeeper.sh/v1beta1', kind, metadata: { name }, spec };
}

export function rendered(object: KubeObject, file = `${object.kind}-${object.metadata.name}.yaml`, cluster?: string): RenderedObject {
  return { file, index: 0, object, ...(cluster ? { cluster } : {}) };
}

export function pod(name: string, namespace: string | undefined, extra: Partial<KubeObject> & { labels?: Record<string, string> } = {}): KubeObject {
  const { labels, ...rest } = extra;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, ...(namespace ? { namespace } : {}), ...(labels ? { labels } : {}) },
    spec: { containers: [{ name: 'app', image: 'ghcr.io/acme/app:1.0.0' }] },
    ...rest,
  };
}

export function namespace(name: string, labels: Record<string, string> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}

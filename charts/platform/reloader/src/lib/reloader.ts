import { type Unit, unitCallSite } from '@flotilla/config';
import type { ReloaderChartValues } from '@flotilla/k8s-apis/helm-values';
import { ControllerNetworkPolicies, HelmAddon, RELOADER_WATCH_LABEL, TENANT_NAMESPACE_SELECTOR, VERSIONS } from '@flotilla/constructs';

export const RELOADER_PROJECT = 'reloader';
export const RELOADER_NAMESPACE = 'reloader';

export interface ReloaderProps {
  /** Replicas; more than one turns on leader election (`enableHA`). @default 1 */
  readonly replicas?: number;
  /** @default 'info' */
  readonly logLevel?: 'trace' | 'debug' | 'info' | 'warning' | 'error';
  /**
   * Restart workloads when a watched Secret/ConfigMap is first created, not only when it changes.
   * Useful when ESO creates the Secret after the workload started.
   *
   * @default false
   */
  readonly reloadOnCreate?: boolean;
  /** Namespaces Reloader ignores. @default - none */
  readonly ignoreNamespaces?: readonly string[];
  /**
   * Label selector terms (ANDed, Kubernetes syntax: `key`, `key=value`, `key!=value`) of the
   * namespaces Reloader watches; `[]` watches every namespace.
   *
   * @default ['team'] (the tenant namespaces charts/platform/teams renders)
   */
  readonly namespaceSelector?: readonly string[];
  /**
   * Label selector terms of the Secrets and ConfigMaps Reloader watches; `[]` watches all of them.
   * ExternalSecrets put the default label on their Secret (`RELOADER_WATCH_LABELS`).
   *
   * @default ['reloader.flotilla.dev/watch=true']
   */
  readonly resourceLabelSelector?: readonly string[];
}

/**
 * The values this chart sets (chart `reloader` 2.2.16, app v1.4.21), a narrowing of the type
 * generated from the chart's values.schema.json. That schema types only `reloadStrategy` and
 * `service`; the rest are typed here from the chart's values.yaml.
 */
export interface ReloaderValues extends ReloaderChartValues {
  readonly reloader: NonNullable<ReloaderChartValues['reloader']> & {
    /** `annotations` patches the pod template annotation instead of adding env vars: the GitOps-friendly strategy. */
    readonly reloadStrategy: 'annotations' | 'env-vars';
    readonly watchGlobally: boolean;
    readonly enableHA: boolean;
    readonly reloadOnCreate: boolean;
    readonly logLevel: string;
    readonly ignoreNamespaces?: string;
    readonly namespaceSelector?: string;
    readonly resourceLabelSelector?: string;
    readonly deployment: { readonly replicas: number };
  };
}

/**
 * stakater Reloader: restarts Deployments/StatefulSets/DaemonSets whose annotated Secrets or
 * ConfigMaps change (the last link of the AppConfig → Secrets Manager → ESO chain). No CRDs,
 * no AWS identity.
 */
export function reloader(props: ReloaderProps = {}): Unit {
  const replicas = props.replicas ?? 1;
  if (!Number.isInteger(replicas) || replicas < 1) throw new Error(`reloader replicas is ${replicas}; use a whole number of at least 1`);
  const namespaceSelector = selector('namespaceSelector', props.namespaceSelector ?? [TENANT_NAMESPACE_SELECTOR]);
  const resourceLabelSelector = selector('resourceLabelSelector', props.resourceLabelSelector ?? [`${RELOADER_WATCH_LABEL}=true`]);
  return {
    name: RELOADER_PROJECT,
    project: RELOADER_PROJECT,
    createdAt: unitCallSite(),
    layer: 'infra-controllers',
    render(scope) {
      // Reloader only watches and patches through the Kubernetes API.
      new ControllerNetworkPolicies(scope, 'NetworkPolicies', { namespace: RELOADER_NAMESPACE });
      new HelmAddon<ReloaderValues>(scope, 'Reloader', {
        name: 'reloader',
        namespace: RELOADER_NAMESPACE,
        chart: VERSIONS.reloader,
        installsCrds: [],
        values: {
          reloader: {
            // Flux would revert env-var changes it did not make; annotations on the pod template are what upstream recommends for GitOps.
            reloadStrategy: 'annotations',
            // Cluster-wide watch (and RBAC), narrowed by the two selectors below.
            watchGlobally: true,
            enableHA: replicas > 1,
            reloadOnCreate: props.reloadOnCreate ?? false,
            logLevel: props.logLevel ?? 'info',
            ignoreNamespaces: props.ignoreNamespaces && props.ignoreNamespaces.length > 0 ? props.ignoreNamespaces.join(',') : undefined,
            namespaceSelector,
            resourceLabelSelector,
            deployment: { replicas },
          },
        },
      });
    },
  };
}

const SELECTOR_TERM = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?((=|==|!=)[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

/** Joins selector terms into the chart's comma-separated string; `undefined` (unscoped) for none. */
function selector(field: string, terms: readonly string[]): string | undefined {
  for (const term of terms) {
    if (!SELECTOR_TERM.test(term)) {
      throw new Error(`reloader ${field} term '${term}' is not a label selector term; write 'key', 'key=value' or 'key!=value' (e.g. 'team')`);
    }
  }
  return terms.length > 0 ? terms.join(',') : undefined;
}

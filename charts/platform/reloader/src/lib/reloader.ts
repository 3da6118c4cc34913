import type { Unit } from '@flotilla/config';
import { ControllerNetworkPolicies, HelmAddon, VERSIONS } from '@flotilla/constructs';

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
}

/** The values this chart sets (chart `reloader` 2.2.16, app v1.4.21). */
export interface ReloaderValues {
  readonly reloader: {
    /** `annotations` patches the pod template annotation instead of adding env vars: the GitOps-friendly strategy. */
    readonly reloadStrategy: 'annotations' | 'env-vars';
    readonly watchGlobally: boolean;
    readonly enableHA: boolean;
    readonly reloadOnCreate: boolean;
    readonly logLevel: string;
    readonly ignoreNamespaces?: string;
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
  return {
    name: RELOADER_PROJECT,
    project: RELOADER_PROJECT,
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
            watchGlobally: true,
            enableHA: replicas > 1,
            reloadOnCreate: props.reloadOnCreate ?? false,
            logLevel: props.logLevel ?? 'info',
            ignoreNamespaces: props.ignoreNamespaces && props.ignoreNamespaces.length > 0 ? props.ignoreNamespaces.join(',') : undefined,
            deployment: { replicas },
          },
        },
      });
    },
  };
}

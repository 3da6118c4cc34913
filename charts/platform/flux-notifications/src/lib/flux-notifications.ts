import type { Construct } from 'constructs';
import { type ClusterConfig, type Unit, unitCallSite } from '@flotilla/config';
import * as eso from '@flotilla/k8s-apis/external-secrets';
import * as flux from '@flotilla/k8s-apis/flux';
import { githubRepositoryAddress } from './github-repository';

const NAMESPACE = 'flux-system';
export const COMMIT_STATUS_PROVIDER = 'github-commit-status';
export const CHAT_PROVIDER = 'chat';

/** GitHub commit statuses on the fleet repository. */
export interface CommitStatusProps {
  /** `https://github.com/<owner>/<repo>`. @default - derived from the cluster's `git.url` */
  readonly address?: string;
  /** Secrets Manager secret holding the token (repo:status / fine-grained "Commit statuses: write"), tagged `tenant=platform`. @default 'flotilla/<cluster>/github-commit-status-token' */
  readonly tokenSecret?: string;
  /** JSON key inside that secret. @default - the whole secret string is the token */
  readonly tokenProperty?: string;
}

export type ChatProviderType = 'slack' | 'msteams' | 'discord' | 'googlechat';

/** A chat channel that receives the same events. */
export interface ChatProps {
  readonly type: ChatProviderType;
  /** Secrets Manager secret holding the incoming-webhook URL (becomes the Provider's `address` key), tagged `tenant=platform`. */
  readonly webhookSecret: string;
  /** @default - the webhook's own channel */
  readonly channel?: string;
  /** `error` sends failures only; `info` every reconciliation too. @default 'error' */
  readonly eventSeverity?: 'info' | 'error';
}

export interface FluxNotificationsProps {
  /**
   * Namespaces whose HelmReleases the Alerts cover (`kind: HelmRelease, name: '*'` each); Kustomizations
   * live in flux-system and are always covered. `flotilla validate` fails a namespace without
   * HelmReleases and warns about a HelmRelease no Alert covers.
   */
  readonly helmReleaseNamespaces: readonly string[];
  /** @default - on, with the defaults of {@link CommitStatusProps} */
  readonly commitStatus?: CommitStatusProps;
  /** @default - no chat provider */
  readonly chat?: ChatProps;
  /** Store the ExternalSecrets read through; it must admit flux-system. @default { kind: 'ClusterSecretStore', name: 'platform-secrets' } */
  readonly store?: { readonly kind: 'ClusterSecretStore' | 'SecretStore'; readonly name: string };
  /** Units that render the store. @default ['secret-stores'] */
  readonly dependsOn?: readonly string[];
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** The commit status context (CEL) every event of this cluster gets: `flotilla/<cluster>/<kind>/<name>`. */
export function commitStatusExpr(cluster: ClusterConfig): string {
  return `'flotilla/${cluster.name}/' + event.involvedObject.kind.lowerAscii() + '/' + event.involvedObject.name`;
}

function syncedSecret(scope: Construct, id: string, name: string, key: string, remote: { key: string; property?: string }, store: NonNullable<FluxNotificationsProps['store']>): void {
  new eso.ExternalSecret(scope, id, {
    metadata: { name, namespace: NAMESPACE },
    spec: {
      secretStoreRef: { kind: store.kind as eso.ExternalSecretSpecSecretStoreRefKind, name: store.name },
      refreshInterval: '1h',
      target: { name, creationPolicy: eso.ExternalSecretSpecTargetCreationPolicy.OWNER },
      data: [{ secretKey: key, remoteRef: { key: remote.key, ...(remote.property ? { property: remote.property } : {}) } }],
    },
  });
}

/** Renders the providers, their ExternalSecrets and one Alert per provider. */
export function renderFluxNotifications(scope: Construct, cluster: ClusterConfig, props: FluxNotificationsProps): void {
  if (props.helmReleaseNamespaces.length === 0) throw new Error('fluxNotifications helmReleaseNamespaces is empty; list every namespace that has a HelmRelease (e.g. "karpenter", "ack-system")');
  for (const namespace of props.helmReleaseNamespaces) {
    if (!DNS_LABEL.test(namespace)) throw new Error(`fluxNotifications helmReleaseNamespaces entry "${namespace}" is not a namespace name (a DNS label)`);
  }
  if (new Set(props.helmReleaseNamespaces).size !== props.helmReleaseNamespaces.length) throw new Error(`fluxNotifications helmReleaseNamespaces lists a namespace twice: ${props.helmReleaseNamespaces.join(', ')}`);
  const store = props.store ?? { kind: 'ClusterSecretStore', name: 'platform-secrets' };
  const eventSources: flux.AlertSpecEventSources[] = [
    { kind: flux.AlertSpecEventSourcesKind.KUSTOMIZATION, name: '*' },
    ...[...props.helmReleaseNamespaces].sort().map((namespace) => ({ kind: flux.AlertSpecEventSourcesKind.HELM_RELEASE, name: '*', namespace })),
  ];
  // Every notification names the cluster, so one repository's commit shows each cluster that applied it.
  const eventMetadata = { cluster: cluster.name, environment: cluster.environment, summary: `cluster ${cluster.name} (${cluster.environment})` };

  const commit = props.commitStatus ?? {};
  const address = commit.address ?? githubRepositoryAddress(cluster.git.url);
  if (!address || !githubRepositoryAddress(address)) {
    throw new Error(`fluxNotifications commitStatus: "${commit.address ?? cluster.git.url}" is not a GitHub repository; set commitStatus.address to https://github.com/<owner>/<repo>`);
  }
  syncedSecret(scope, 'CommitStatusToken', COMMIT_STATUS_PROVIDER, 'token', { key: commit.tokenSecret ?? `flotilla/${cluster.name}/github-commit-status-token`, property: commit.tokenProperty }, store);
  new flux.Provider(scope, 'CommitStatus', {
    metadata: { name: COMMIT_STATUS_PROVIDER, namespace: NAMESPACE },
    spec: { type: flux.ProviderSpecType.GITHUB, address, secretRef: { name: COMMIT_STATUS_PROVIDER }, commitStatusExpr: commitStatusExpr(cluster) },
  });
  new flux.Alert(scope, 'CommitStatusAlert', {
    metadata: { name: COMMIT_STATUS_PROVIDER, namespace: NAMESPACE },
    spec: { providerRef: { name: COMMIT_STATUS_PROVIDER }, eventSeverity: flux.AlertSpecEventSeverity.INFO, eventSources, eventMetadata },
  });

  if (!props.chat) return;
  if (!props.chat.webhookSecret) throw new Error('fluxNotifications chat.webhookSecret is empty; name the Secrets Manager secret that holds the webhook URL');
  syncedSecret(scope, 'ChatWebhook', CHAT_PROVIDER, 'address', { key: props.chat.webhookSecret }, store);
  new flux.Provider(scope, 'Chat', {
    metadata: { name: CHAT_PROVIDER, namespace: NAMESPACE },
    spec: { type: props.chat.type as flux.ProviderSpecType, secretRef: { name: CHAT_PROVIDER }, ...(props.chat.channel ? { channel: props.chat.channel } : {}) },
  });
  new flux.Alert(scope, 'ChatAlert', {
    metadata: { name: CHAT_PROVIDER, namespace: NAMESPACE },
    spec: { providerRef: { name: CHAT_PROVIDER }, eventSeverity: (props.chat.eventSeverity ?? 'error') as flux.AlertSpecEventSeverity, eventSources, eventMetadata },
  });
}

/**
 * `flux-notifications` (infra-configs, after the secret store): GitHub commit statuses on the fleet
 * repository for every Kustomization and HelmRelease, and an optional chat channel.
 */
export function fluxNotifications(props: FluxNotificationsProps): Unit {
  return {
    name: 'flux-notifications',
    createdAt: unitCallSite(),
    project: 'flux-notifications',
    layer: 'infra-configs',
    dependsOn: props.dependsOn ?? ['secret-stores'],
    render(scope, { cluster }) {
      renderFluxNotifications(scope, cluster, props);
    },
  };
}

import {
  type AppConfigClient,
  GetConfigurationProfileCommand,
  GetDeploymentCommand,
  GetHostedConfigurationVersionCommand,
  ListDeploymentsCommand,
} from '@aws-sdk/client-appconfig';
import { type AppConfigDataClient, GetLatestConfigurationCommand, StartConfigurationSessionCommand } from '@aws-sdk/client-appconfigdata';
import type { DeploymentIdentity, DeploymentEventKind } from '@flotilla/appconfig-contract';
import type { ConfigurationContent } from './hash';

/** Where the bytes came from; logged next to the hash. */
export type ConfigurationOrigin =
  | { readonly api: 'GetHostedConfigurationVersion'; readonly versionNumber: number; readonly fromDeploymentNumber: number }
  | { readonly api: 'GetLatestConfiguration'; readonly locationUri: string; readonly versionLabel?: string };

export type ResolvedConfiguration =
  | { readonly found: true; readonly configuration: ConfigurationContent; readonly origin: ConfigurationOrigin }
  | { readonly found: false; readonly reason: string };

/** A configuration that cannot be read because the event itself is inconsistent (not an AWS failure). */
export class UnusableEventError extends Error {
  override readonly name = 'UnusableEventError';
}

export interface ConfigurationSourceClients {
  readonly appConfig: AppConfigClient;
  readonly appConfigData: AppConfigDataClient;
}

/**
 * Reads the configuration the event makes effective.
 *
 * - hosted profile, complete: exactly `detail.ConfigurationVersion` via GetHostedConfigurationVersion;
 * - hosted profile, rollback: the version of the newest COMPLETE deployment of this profile before the rolled-back
 *   one (the event carries the failed version);
 * - other locations (S3, SSM, Secrets Manager, CodePipeline): a fresh data-plane session, whose first
 *   GetLatestConfiguration returns what is effective now. There is no by-version read for these.
 */
export async function resolveConfiguration(
  clients: ConfigurationSourceClients,
  identity: DeploymentIdentity,
  kind: Exclude<DeploymentEventKind, 'ignored'>,
): Promise<ResolvedConfiguration> {
  const profile = await clients.appConfig.send(
    new GetConfigurationProfileCommand({ ApplicationId: identity.applicationId, ConfigurationProfileId: identity.configurationProfileId }),
  );
  const locationUri = profile.LocationUri ?? '';
  if (locationUri !== 'hosted') return readFromDataPlane(clients.appConfigData, identity, locationUri);

  let versionText = identity.configurationVersion;
  let fromDeploymentNumber = identity.deploymentNumber;
  if (kind === 'rollback') {
    const previous = await lastCompleteDeployment(clients.appConfig, identity);
    if (!previous) {
      return {
        found: false,
        reason: `no COMPLETE deployment of profile ${identity.configurationProfileId} before deployment ${identity.deploymentNumber}; nothing to restore`,
      };
    }
    versionText = previous.configurationVersion;
    fromDeploymentNumber = previous.deploymentNumber;
  }
  if (!/^[1-9][0-9]{0,9}$/.test(versionText) || Number(versionText) > 2 ** 31 - 1) {
    throw new UnusableEventError(
      `ConfigurationVersion ${JSON.stringify(versionText)} of deployment ${fromDeploymentNumber} is not a hosted version number (a positive integer) although the profile is hosted`,
    );
  }
  const versionNumber = Number(versionText);
  const hosted = await clients.appConfig.send(
    new GetHostedConfigurationVersionCommand({
      ApplicationId: identity.applicationId,
      ConfigurationProfileId: identity.configurationProfileId,
      VersionNumber: versionNumber,
    }),
  );
  return {
    found: true,
    configuration: { content: hosted.Content ?? new Uint8Array(), contentType: hosted.ContentType ?? '' },
    origin: { api: 'GetHostedConfigurationVersion', versionNumber, fromDeploymentNumber },
  };
}

/** The newest deployment of this profile in state COMPLETE with a number below the event's. */
export async function lastCompleteDeployment(
  appConfig: AppConfigClient,
  identity: Pick<DeploymentIdentity, 'applicationId' | 'environmentId' | 'configurationProfileId' | 'deploymentNumber'>,
): Promise<{ deploymentNumber: number; configurationVersion: string } | undefined> {
  let nextToken: string | undefined;
  do {
    // Items come in descending DeploymentNumber order, so the first match is the newest.
    const page = await appConfig.send(
      new ListDeploymentsCommand({ ApplicationId: identity.applicationId, EnvironmentId: identity.environmentId, MaxResults: 50, NextToken: nextToken }),
    );
    for (const item of page.Items ?? []) {
      if (item.DeploymentNumber === undefined || item.DeploymentNumber >= identity.deploymentNumber) continue;
      if (item.State !== 'COMPLETE') continue;
      let profileId = item.ConfigurationProfileId;
      let version = item.ConfigurationVersion;
      // Older list responses carry no profile id; the deployment itself always does.
      if (profileId === undefined || version === undefined) {
        const deployment = await appConfig.send(
          new GetDeploymentCommand({ ApplicationId: identity.applicationId, EnvironmentId: identity.environmentId, DeploymentNumber: item.DeploymentNumber }),
        );
        profileId = deployment.ConfigurationProfileId;
        version = deployment.ConfigurationVersion;
      }
      if (profileId === identity.configurationProfileId && version !== undefined) {
        return { deploymentNumber: item.DeploymentNumber, configurationVersion: version };
      }
    }
    nextToken = page.NextToken;
  } while (nextToken);
  return undefined;
}

async function readFromDataPlane(appConfigData: AppConfigDataClient, identity: DeploymentIdentity, locationUri: string): Promise<ResolvedConfiguration> {
  const session = await appConfigData.send(
    new StartConfigurationSessionCommand({
      ApplicationIdentifier: identity.applicationId,
      EnvironmentIdentifier: identity.environmentId,
      ConfigurationProfileIdentifier: identity.configurationProfileId,
    }),
  );
  // A fresh session always returns the content on its first call; the session is dropped afterwards.
  const latest = await appConfigData.send(new GetLatestConfigurationCommand({ ConfigurationToken: session.InitialConfigurationToken }));
  return {
    found: true,
    configuration: { content: latest.Configuration ?? new Uint8Array(), contentType: latest.ContentType ?? '' },
    origin: { api: 'GetLatestConfiguration', locationUri: locationUri || '(none)', versionLabel: latest.VersionLabel || undefined },
  };
}

import type { Unit } from '@flotilla/config';
import { Duration } from '@flotilla/config';
import { DEFAULT_COLLECTOR_IMAGE, collectorIdentityUnit, collectorUnit } from './collector';
import { PLATFORM_SCRAPE_JOBS, type ScrapeJob } from './scrape-jobs';
import { metricsWorkspaceUnit, workspaceAliasOf, type MetricsWorkspaceProps } from './workspace';

export interface MetricsProps extends MetricsWorkspaceProps {
  /** Jobs the collector scrapes. @default PLATFORM_SCRAPE_JOBS (Karpenter, the Flux controllers, Gatekeeper controller and audit, External Secrets) */
  readonly scrapeJobs?: readonly ScrapeJob[];
  /**
   * Collector image. Clusters that require digests (FlotillaImageTags) or allow only their own
   * registry (FlotillaAllowedRepos) pass a mirrored, digest-pinned reference.
   *
   * @default DEFAULT_COLLECTOR_IMAGE
   */
  readonly collectorImage?: string;
  /** @default Duration.seconds(30) */
  readonly scrapeInterval?: Duration;
}

/**
 * The platform's metrics pipeline: an Amazon Managed Service for Prometheus workspace per cluster
 * (environment) with alert rules and SNS routing (`metrics.workspace`), and an in-cluster
 * OpenTelemetry collector that scrapes the controllers and remote-writes with SigV4 through Pod
 * Identity (`metrics.identity`, `metrics.collector`). Needs the ACK prometheusservice controller.
 */
export function metrics(props: MetricsProps): Unit[] {
  const scrapeJobs = props.scrapeJobs ?? PLATFORM_SCRAPE_JOBS;
  const scrapeIntervalSeconds = (props.scrapeInterval ?? Duration.seconds(30)).toSeconds({ integral: false });
  return [
    collectorIdentityUnit((cluster) => workspaceAliasOf(cluster, props)),
    metricsWorkspaceUnit(props),
    collectorUnit((cluster) => ({ scrapeJobs, scrapeIntervalSeconds, image: props.collectorImage ?? DEFAULT_COLLECTOR_IMAGE, workspaceAlias: workspaceAliasOf(cluster, props) })),
  ];
}

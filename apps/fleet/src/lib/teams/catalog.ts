import type { PeopleRole, TeamConfig } from '@flotilla/workloads';
import { ImageReference } from '@flotilla/workloads';
import { peopleRoleOf, type FleetCluster, type FleetEnvironment } from '../fleet-defaults';

/**
 * An image as the catalog writes it, one plain string per environment (what promotion reads and
 * rewrites): `registry/repository:tag[@sha256:…]`, or `repository:tag[@sha256:…]` without a
 * registry host for the cluster's own ECR registry (`c.registry`), so no account id is written.
 */
export type ImagePin = string;

/** A team of the catalog: who it is (the same everywhere) and its settings per environment. */
export interface CatalogTeamProps<S> {
  readonly name: string;
  /** @default - the team name */
  readonly namespace?: string;
  readonly costCenter: string;
  readonly group: string;
  /** One plain-data entry per environment of the fleet; a missing one is a compile error. */
  readonly environments: Readonly<Record<FleetEnvironment, S>>;
  /**
   * The people role per environment (`TeamConfig.peopleRole`).
   *
   * @default PEOPLE_ROLE_BY_ENVIRONMENT (edit-no-secrets on dev and staging, read-only on prod and on unlisted environments)
   */
  readonly peopleRoles?: Readonly<Partial<Record<FleetEnvironment, PeopleRole>>>;
  /**
   * The rest of the team's `TeamConfig` on a cluster (quota, egress, volumes…), from the cluster's
   * facts and the environment's settings.
   *
   * @default - nothing beyond name, namespace, cost center and group
   */
  readonly config?: (c: FleetCluster, settings: S) => Omit<TeamConfig, 'name' | 'namespace' | 'costCenter' | 'group'>;
}

/** A team declared once for every cluster: `team.on(c)` is its `TeamConfig`, `team.settings(c)` its environment's settings. */
export class CatalogTeam<S> {
  readonly name: string;
  private readonly configs = new WeakMap<FleetCluster, TeamConfig>();

  constructor(readonly props: CatalogTeamProps<S>) {
    this.name = props.name;
  }

  /** The settings of the cluster's environment. */
  settings(c: FleetCluster): S {
    return this.props.environments[c.environment];
  }

  /** The team's config on cluster `c` (the same object on every call, so units share it). */
  on(c: FleetCluster): TeamConfig {
    let config = this.configs.get(c);
    if (!config) {
      const { name, namespace, costCenter, group } = this.props;
      const peopleRole = peopleRoleOf(c.environment, this.props.peopleRoles);
      config = { name, ...(namespace ? { namespace } : {}), costCenter, group, peopleRole, ...this.props.config?.(c, this.settings(c)) };
      this.configs.set(c, config);
    }
    return config;
  }
}

/** Declares a catalog team (see {@link CatalogTeamProps}). */
export function defineTeam<S>(props: CatalogTeamProps<S>): CatalogTeam<S> {
  return new CatalogTeam(props);
}

/** The image a pin names on cluster `c`: its own ECR registry when the pin has no registry host. */
export function imageOn(c: FleetCluster, pin: ImagePin): ImageReference {
  const first = pin.split('/')[0] ?? '';
  const hasRegistry = pin.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  return ImageReference.parse(hasRegistry ? pin : `${c.registry}/${pin}`);
}

import { ApiObjectMetadata } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import type { Unit } from '@flotilla/config';

/** One application team (tenant) of a cluster. */
export interface TeamSpec {
  /** Team name; also its namespace. A DNS label. */
  readonly name: string;
  /** Cost center billed for the team's resources (label `cost-center`). */
  readonly costCenter: string;
}

export interface TeamsProps {
  readonly teams: readonly TeamSpec[];
}

/** The tenants unit: one namespace per team, labelled with team and cost-center. */
export function teams(props: TeamsProps): Unit {
  for (const team of props.teams) {
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(team.name)) {
      throw new Error(`team name '${team.name}' must be a DNS label (lowercase letters, digits and '-')`);
    }
  }
  return {
    name: 'teams',
    project: 'teams',
    layer: 'infra-configs',
    render(scope: Construct) {
      for (const team of props.teams) {
        const metadata: ApiObjectMetadata = { name: team.name, labels: { team: team.name, 'cost-center': team.costCenter } };
        new kplus.Namespace(scope, `Namespace-${team.name}`, { metadata });
      }
    },
  };
}

/** The labels every object and pod template of a team carries (Gatekeeper requires them). */
export interface TenantLabels {
  readonly team: string;
  readonly 'cost-center': string;
}

/** What an app needs to know about the team it belongs to. */
export interface TeamRef {
  /** Team name: the `team` label and the `flux-<team>` Flux account. */
  readonly name: string;
  /** The team's namespace, where all its namespaced objects go. */
  readonly namespace: string;
  /** Cost center billed for the team's resources: the `cost-center` label. */
  readonly costCenter: string;
}

export function tenantLabels(team: TeamRef): TenantLabels {
  return { team: team.name, 'cost-center': team.costCenter };
}

/** The Flux ServiceAccount (in `flux-system`) a team's app units reconcile under. */
export function fluxTenantAccount(team: Pick<TeamRef, 'name'>): string {
  return `flux-${team.name}`;
}

/**
 * The Flux settings of a team's app unit: reconcile as the team's Flux account and force every
 * namespaced object into the team namespace, so the unit cannot write cluster-scoped objects or
 * other namespaces.
 */
export function tenantFluxOptions(team: TeamRef): { serviceAccountName: string; targetNamespace: string } {
  return { serviceAccountName: fluxTenantAccount(team), targetNamespace: team.namespace };
}

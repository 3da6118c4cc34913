import type { Tree } from '@nx/devkit';
import { planCatalogTeam, readCatalog, writeCatalogTeam } from './catalog-file';
import { addCodeOwner } from './codeowners-file';
import { assertDnsLabel, listClusters, readClusterConstraints } from './fleet-layout';
import { TenantsFile } from './tenants-file';

/** Options of `nx g ./libs/generators:team <name>` (see team.schema.json). */
export interface TeamGeneratorOptions {
  /** Team name: the `team` label, the namespace and the `flux-<name>` Flux account. A DNS label. */
  readonly name: string;
  /** Cost center billed for the team (label `cost-center`). */
  readonly costCenter: string;
  /** Kubernetes group of the team's people (gets `edit` in the team namespace). @default '<name>-developers' */
  readonly group?: string;
  /** The team's namespace. @default - the team name */
  readonly namespace?: string;
  /** GitHub team that owns the team's units in CODEOWNERS. @default - '@<org>/<name>', the org of the fleet's platform group */
  readonly codeOwner?: string;
}

/**
 * Adds a team to the fleet's team catalog (`apps/fleet/src/lib/teams/<name>.ts`, settings for every
 * environment of the fleet) and lists it in the `teams(…)` unit of the platform's tenants
 * (`apps/fleet/src/lib/platform/tenants.ts`), which every cluster runs. The next synth renders the
 * namespace, quota, RBAC and Flux tenant account on every cluster.
 */
export async function teamGenerator(tree: Tree, options: TeamGeneratorOptions): Promise<void> {
  const name = String(options.name ?? '');
  assertDnsLabel('team name', name);
  if (name.length > 58) throw new Error(`team name '${name}' is ${name.length} characters; at most 58, so the Flux account 'flux-${name}' stays a DNS label`);
  const costCenter = String(options.costCenter ?? '');
  if (!/^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/.test(costCenter)) {
    throw new Error(`--costCenter '${costCenter}' must be a label value: 1-63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit (e.g. cc-1001)`);
  }
  const group = options.group ?? `${name}-developers`;
  if (!group.trim()) throw new Error(`--group must name the Kubernetes group of the team's people, e.g. ${name}-developers`);
  if (options.namespace !== undefined) assertDnsLabel('--namespace', options.namespace);
  for (const cluster of listClusters(tree)) {
    const pattern = readClusterConstraints(tree, cluster).costCenterPattern;
    if (pattern && !new RegExp(pattern).test(costCenter)) {
      throw new Error(`cluster '${cluster}' requires cost centers matching ${pattern} (costCenterPattern in apps/fleet/src/lib/platform/configs.ts); --costCenter '${costCenter}' does not`);
    }
  }
  // Read and edit first, then write: a failure leaves every file as it was.
  const file = TenantsFile.read(tree);
  // A team already in the catalog (but not listed) is only listed; a new one gets its catalog file.
  const existing = readCatalog(tree).get(name);
  const entry = existing ?? planCatalogTeam(tree, name);
  file.addTeam(entry);
  if (!existing) writeCatalogTeam(tree, entry, { costCenter, group, namespace: options.namespace });
  addCodeOwner(tree, options.namespace ?? name, options.codeOwner);
  file.save();
}

export default teamGenerator;

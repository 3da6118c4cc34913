/**
 * The folder every cluster's files live under: the default of each cluster's Git path
 * (`GitSource.path`, i.e. `flux bootstrap --path`) is `<CLUSTERS_DIR>/<cluster>`.
 */
export const CLUSTERS_DIR = 'clusters';

/**
 * `clusters/<cluster>/…` → `<cluster>` (also inside a longer path, e.g. an absolute one); undefined for a file
 * outside a cluster folder. The one reading of a rendered file's cluster, for validate and diff alike.
 */
export function clusterOfFile(file: string, clustersDir: string = CLUSTERS_DIR): string | undefined {
  const parts = file.replace(/\\/g, '/').split('/');
  const at = parts.indexOf(clustersDir);
  return at >= 0 && parts.length > at + 2 ? parts[at + 1] : undefined;
}

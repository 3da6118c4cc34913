import type { ParsedChartPin } from '@flotilla/config';
import type { RenderDiff, ResourceChange } from '@flotilla/diff';

/** A change in the target's render that no promoted pin explains. */
export interface UnexplainedChange {
  readonly cluster: string;
  readonly object: string;
  readonly file: string;
  /** The field path, or the whole object for additions, removals, renames and moves. */
  readonly field: string;
  readonly reason: string;
}

/** What the proof found: the image fields the pins explain, and every other change. */
export interface PromotionProof {
  readonly explained: number;
  readonly unexplained: readonly UnexplainedChange[];
}

/** Per target cluster: the images a promoted pin replaces (resolved on that cluster) → the image it becomes. */
export type PinImages = ReadonlyMap<string, ReadonlyMap<string, string>>;

/** A promoted chart pin: the unit (its folder in the render), the Helm release, the target's pin before and after. */
export interface ChartMove {
  readonly unit: string;
  readonly release: string;
  readonly from: ParsedChartPin;
  readonly to: ParsedChartPin;
}

/**
 * The version fields a chart pin sets on the release's objects in its unit (what `HelmAddon` and
 * `crossplanePackage` render): the HelmRelease's chart version (HTTPS repositories), the
 * OCIRepository's tag and digest, a Crossplane package's `spec.package`. The value before must be the target's old pin and the value after the promoted one.
 */
function chartField(change: ResourceChange, path: string, moves: readonly ChartMove[]): { before?: string; after?: string } | undefined {
  // Synth writes a unit's objects to <cluster folder>/<layer>/<unit>/<file>.
  const unit = change.file.split('/').at(-2);
  for (const move of moves) {
    if (unit !== move.unit || change.name !== move.release) continue;
    if (change.apiGroup === 'helm.toolkit.fluxcd.io' && change.kind === 'HelmRelease' && path === 'spec.chart.spec.version') return { before: move.from.version, after: move.to.version };
    if (change.apiGroup === 'source.toolkit.fluxcd.io' && change.kind === 'OCIRepository') {
      if (path === 'spec.ref.tag') return { before: move.from.version, after: move.to.version };
      if (path === 'spec.ref.digest') return { before: move.from.digest, after: move.to.digest };
    }
    // A Crossplane package pinned the same way: '<package>:<version>[@sha256:…]', the package name unchanged.
    if (change.apiGroup === 'pkg.crossplane.io' && path === 'spec.package') {
      const current = valueAt(change.base, path);
      if (typeof current !== 'string') continue;
      const name = current.replace(/:[^:/@]+(@sha256:[0-9a-f]{64})?$/, '');
      const at = (pin: ParsedChartPin) => `${name}:${pin.version}${pin.digest ? `@${pin.digest}` : ''}`;
      return { before: at(move.from), after: at(move.to) };
    }
  }
  return undefined;
}

const IMAGE_FIELD = /(^|\.)image$/;

/**
 * Proves a promotion: every field that changed between the target's render before and after must,
 * on a target cluster, be an image field whose old value is a replaced pin and whose new value is
 * the pin that replaces it, or a chart version field (HelmRelease chart version, OCIRepository tag
 * or digest) of a promoted chart pin's release in its unit, going from the old pin to the new one.
 * Anything else (another field, another cluster, an object added, removed, renamed or moved) is
 * unexplained.
 */
export function provePromotion(diff: RenderDiff, images: PinImages, charts: ReadonlyMap<string, readonly ChartMove[]> = new Map()): PromotionProof {
  let explained = 0;
  const unexplained: UnexplainedChange[] = [];
  for (const cluster of diff.clusters) {
    const replaced = images.get(cluster.cluster);
    for (const change of cluster.kustomizations.flatMap((kustomization) => kustomization.changes)) {
      const at = { cluster: cluster.cluster, object: change.object, file: change.file };
      if (change.type !== 'changed') {
        unexplained.push({ ...at, field: '(object)', reason: `${change.type}: a pin only changes image fields of existing objects` });
        continue;
      }
      for (const field of change.fields) {
        const before = valueAt(change.base, field.path);
        const after = valueAt(change.head, field.path);
        const chart = replaced ? chartField(change, field.path, charts.get(cluster.cluster) ?? []) : undefined;
        if (chart) {
          if (chart.before === before && chart.after === after) explained++;
          else unexplained.push({ ...at, field: field.path, reason: `${describe(before)} → ${describe(after)} is not the promoted chart pin (${describe(chart.before)} → ${describe(chart.after)})` });
        } else if (!replaced) {
          unexplained.push({ ...at, field: field.path, reason: `cluster '${cluster.cluster}' is not on the target stage` });
        } else if (!IMAGE_FIELD.test(field.path) || typeof before !== 'string' || typeof after !== 'string') {
          unexplained.push({ ...at, field: field.path, reason: `${describe(before)} → ${describe(after)} is not an image field set from a promoted pin` });
        } else if (replaced.get(before) !== after) {
          unexplained.push({ ...at, field: field.path, reason: `${before} → ${after} is not a promoted pin (the promotion replaces ${[...replaced].map(([from, to]) => `${from} → ${to}`).join(', ')})` });
        } else {
          explained++;
        }
      }
    }
  }
  return { explained, unexplained };
}

/** The value at a field path as `diffFields` writes it (`a.b[0].c`, `a["x.y"]`). */
function valueAt(object: ResourceChange['base'], fieldPath: string): unknown {
  let value: unknown = object;
  for (const match of fieldPath.matchAll(/\[("(?:[^"\\]|\\.)*")\]|\[(\d+)\]|([^.[\]]+)/g)) {
    const key = match[1] !== undefined ? (JSON.parse(match[1]) as string) : match[2] !== undefined ? Number(match[2]) : match[3];
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string | number, unknown>)[key];
  }
  return value;
}

function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? 'absent';
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

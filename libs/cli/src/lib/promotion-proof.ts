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

const IMAGE_FIELD = /(^|\.)image$/;

/**
 * Proves a promotion: every field that changed between the target's render before and after must
 * be an image field whose old value is a replaced pin and whose new value is the pin that replaces
 * it, on a target cluster. Anything else (another field, another cluster, an object added,
 * removed, renamed or moved) is unexplained.
 */
export function provePromotion(diff: RenderDiff, images: PinImages): PromotionProof {
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
        if (!replaced) {
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

import { createHash } from 'node:crypto';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { assertDnsLabel, WorkloadValidationError } from './validation-error';

export interface VersionedConfigMapProps {
  /** Name prefix; the object is named `<name>-<10 hex digits of the content hash>`. */
  readonly name: string;
  readonly namespace: string;
  /** File name → content. */
  readonly data: Record<string, string>;
  /** @default - none */
  readonly labels?: Record<string, string>;
  /**
   * Earlier contents, newest first: when you change `data`, move the old `data` to the front of this
   * list. Each is rendered as its own hashed, immutable ConfigMap, so the ReplicaSets of earlier
   * rollouts still find their map and `kubectl rollout undo` works; Flux prunes what leaves the list.
   *
   * @default - none (only the current version is rendered)
   */
  readonly history?: readonly Record<string, string>[];
  /**
   * Versions kept, the current one included; `history` may hold at most `keepVersions - 1` entries.
   * Match it to the Deployment's `revisionHistoryLimit` if you need to undo further back.
   *
   * @default 3
   */
  readonly keepVersions?: number;
}

/**
 * Immutable, content-addressed configuration: a ConfigMap with `immutable: true` whose name carries
 * a hash of its data. Changing the data renames it, so the pod template changes and pods roll;
 * reverting the data brings back the old name and rolls them back.
 *
 * Earlier versions come from typed `history` (their content is in the repository), not from a
 * `kustomize.toolkit.fluxcd.io/prune: disabled` annotation: that would keep every version forever and
 * a fresh cluster would still lack them; history keeps exactly the last `keepVersions`.
 */
export class VersionedConfigMap extends Construct {
  /** The hashed object name pods reference. */
  readonly name: string;
  readonly hash: string;
  readonly configMap: kplus.ConfigMap;
  /** Hashed names of the earlier versions rendered from `history`, newest first. */
  readonly previousNames: readonly string[];

  constructor(scope: Construct, id: string, props: VersionedConfigMapProps) {
    super(scope, id);
    assertDnsLabel('name', props.name, 52);
    const keepVersions = props.keepVersions ?? 3;
    if (!Number.isInteger(keepVersions) || keepVersions < 1) {
      throw new WorkloadValidationError('workloads/config', `'keepVersions' of config '${props.name}' is ${keepVersions}; use a whole number of at least 1, e.g. 3`);
    }
    const history = props.history ?? [];
    if (history.length > keepVersions - 1) {
      throw new WorkloadValidationError(
        'workloads/config',
        `'history' of config '${props.name}' has ${history.length} versions but keepVersions ${keepVersions} keeps ${keepVersions - 1} earlier ones; delete the oldest entries (the end of the list) or raise keepVersions`,
      );
    }
    const current = versioned(props.name, props.data);
    this.hash = current.hash;
    this.name = `${props.name}-${this.hash}`;
    const resource = (id: string, version: Versioned) =>
      new kplus.ConfigMap(this, id, {
        metadata: { name: `${props.name}-${version.hash}`, namespace: props.namespace, labels: props.labels },
        data: version.data,
        immutable: true,
      });
    this.configMap = resource('Resource', current);
    const seen = new Set([current.hash]);
    const previous: string[] = [];
    history.forEach((data, index) => {
      const version = versioned(props.name, data, index);
      // A revert makes an earlier version current again: render it once.
      if (seen.has(version.hash)) return;
      seen.add(version.hash);
      resource(`Previous${index}`, version);
      previous.push(`${props.name}-${version.hash}`);
    });
    this.previousNames = previous;
  }
}

interface Versioned {
  readonly hash: string;
  readonly data: Record<string, string>;
}

function versioned(name: string, data: Record<string, string>, historyIndex?: number): Versioned {
  const where = historyIndex === undefined ? `'data' of config '${name}'` : `'history[${historyIndex}]' of config '${name}'`;
  const keys = Object.keys(data).sort();
  if (keys.length === 0) {
    throw new WorkloadValidationError('workloads/config', `${where} is empty; give at least one file or drop the config`);
  }
  for (const key of keys) {
    if (!/^[-._a-zA-Z0-9]+$/.test(key)) {
      throw new WorkloadValidationError('workloads/config', `config key '${key}' of '${name}'${historyIndex === undefined ? '' : ` (history[${historyIndex}])`} must be a file name (letters, digits, '-', '_', '.')`);
    }
  }
  const canonical = JSON.stringify(keys.map((key) => [key, data[key]]));
  return { hash: createHash('sha256').update(canonical).digest('hex').slice(0, 10), data: Object.fromEntries(keys.map((key) => [key, data[key]])) };
}

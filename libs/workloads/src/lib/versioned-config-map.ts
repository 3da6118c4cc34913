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
}

/**
 * Immutable, content-addressed configuration: a ConfigMap with `immutable: true` whose name carries
 * a hash of its data. Changing the data renames it, so the pod template changes and pods roll;
 * reverting the data brings back the old name and rolls them back. Flux prunes the old map.
 */
export class VersionedConfigMap extends Construct {
  /** The hashed object name pods reference. */
  readonly name: string;
  readonly hash: string;
  readonly configMap: kplus.ConfigMap;

  constructor(scope: Construct, id: string, props: VersionedConfigMapProps) {
    super(scope, id);
    assertDnsLabel('name', props.name, 52);
    const keys = Object.keys(props.data).sort();
    if (keys.length === 0) {
      throw new WorkloadValidationError('workloads/config', `'data' of config '${props.name}' is empty; give at least one file or drop the config`);
    }
    for (const key of keys) {
      if (!/^[-._a-zA-Z0-9]+$/.test(key)) {
        throw new WorkloadValidationError('workloads/config', `config key '${key}' of '${props.name}' must be a file name (letters, digits, '-', '_', '.')`);
      }
    }
    const canonical = JSON.stringify(keys.map((key) => [key, props.data[key]]));
    this.hash = createHash('sha256').update(canonical).digest('hex').slice(0, 10);
    this.name = `${props.name}-${this.hash}`;
    this.configMap = new kplus.ConfigMap(this, 'Resource', {
      metadata: { name: this.name, namespace: props.namespace, labels: props.labels },
      data: Object.fromEntries(keys.map((key) => [key, props.data[key]])),
      immutable: true,
    });
  }
}

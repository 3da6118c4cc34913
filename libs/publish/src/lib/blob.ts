import { createHash } from 'node:crypto';

/** Content-addressed bytes: what a registry stores under `sha256:<hex>`. */
export interface Blob {
  readonly mediaType: string;
  readonly digest: string;
  readonly size: number;
  readonly data: Buffer;
}

export function sha256(data: Buffer | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

export function blob(mediaType: string, data: Buffer): Blob {
  return { mediaType, digest: sha256(data), size: data.length, data };
}

/** An OCI descriptor in the field order go-containerregistry writes (mediaType, size, digest, annotations). */
export function descriptor(item: Blob, annotations?: Record<string, string>): Record<string, unknown> {
  return { mediaType: item.mediaType, size: item.size, digest: item.digest, ...(annotations ? { annotations: sortedObject(annotations) } : {}) };
}

/** Keys in byte order, as Go's encoding/json writes maps. */
export function sortedObject(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * A go-containerregistry `ConfigFile` of an image built from `empty.Image` plus one layer, as
 * `flux push artifact` and `cosign sign` produce it (Go's field order, no whitespace).
 */
export function emptyImageConfig(created: string, diffId: string): Buffer {
  return Buffer.from(
    JSON.stringify({ architecture: '', created, history: [{ created: '0001-01-01T00:00:00Z' }], os: '', rootfs: { type: 'layers', diff_ids: [diffId] }, config: {} }),
  );
}

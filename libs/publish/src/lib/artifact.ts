import { constants, gzipSync } from 'node:zlib';
import { blob, descriptor, emptyImageConfig, sha256, sortedObject, type Blob } from './blob';
import { CREATED_ANNOTATION, FLUX_CONFIG, FLUX_CONTENT, OCI_MANIFEST, REVISION_ANNOTATION, SOURCE_ANNOTATION } from './media-types';
import { reproducibleTar, type TarEntry } from './tar';

export interface ArtifactProps {
  /** The files of the cluster folder, with repository-relative paths (`clusters/<cluster>/…`). */
  readonly files: readonly TarEntry[];
  /** Git URL, the `org.opencontainers.image.source` annotation. */
  readonly source: string;
  /** `<branch>@sha1:<commit>`, the `org.opencontainers.image.revision` annotation Flux shows. */
  readonly revision: string;
  /** RFC 3339 UTC time of the commit: deterministic, unlike the push time `flux push artifact` defaults to. */
  readonly created: string;
}

/** A Flux artifact ready to push: its blobs and the manifest that names them. */
export interface Artifact {
  readonly config: Blob;
  readonly layer: Blob;
  /** sha256 of the uncompressed tar (the config's `rootfs.diff_ids[0]`): identifies the tree alone. */
  readonly diffId: string;
  readonly manifest: Blob;
}

/**
 * Builds the artifact `flux push artifact` would push for this tree: an OCI image manifest with the
 * Flux config media type, one `tar+gzip` content layer, and the source, revision and created
 * annotations. The layer depends only on the tree (reproducible tar, gzip without name or time and
 * with a fixed OS byte); the manifest also on the commit.
 */
export function buildArtifact(props: ArtifactProps): Artifact {
  const tar = reproducibleTar(props.files);
  const diffId = sha256(tar);
  const layer = blob(FLUX_CONTENT, reproducibleGzip(tar));
  const config = blob(FLUX_CONFIG, emptyImageConfig(props.created, diffId));
  const annotations = sortedObject({ [CREATED_ANNOTATION]: props.created, [REVISION_ANNOTATION]: props.revision, [SOURCE_ANNOTATION]: props.source });
  const manifest = Buffer.from(
    JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config: descriptor(config), layers: [descriptor(layer)], annotations }),
  );
  return { config, layer, diffId, manifest: blob(OCI_MANIFEST, manifest) };
}

/**
 * gzip whose bytes depend only on the input: zlib writes no file name and mtime 0; the OS byte,
 * which zlib sets from the platform it was built for, is set to 255 (unknown) as Go's gzip does.
 */
export function reproducibleGzip(data: Buffer): Buffer {
  const gz = gzipSync(data, { level: constants.Z_BEST_COMPRESSION });
  gz[9] = 0xff;
  return gz;
}

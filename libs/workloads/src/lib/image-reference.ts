import { WorkloadValidationError } from './validation-error';

/** The parts of an OCI image reference. */
export interface ImageReferenceProps {
  /** Registry host, optionally with a port, e.g. `public.ecr.aws` or `123456789012.dkr.ecr.eu-north-1.amazonaws.com`. */
  readonly registry: string;
  /** Repository path inside the registry, e.g. `nginx/nginx-unprivileged`. */
  readonly repository: string;
  /** Tag, e.g. `1.29.3-alpine`. @default - none; then `digest` is required */
  readonly tag?: string;
  /** Content digest, `sha256:<64 hex>`. @default - none; then `tag` is required */
  readonly digest?: string;
}

const REGISTRY = /^(localhost|[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?(\.[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?)+|[a-zA-Z0-9-]+)(:[0-9]{1,5})?$/;
const PATH_COMPONENT = /^[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;

/**
 * A validated container image reference: registry, repository, and a tag and/or digest.
 *
 * Pods pull exactly what the reference names, so it must be explicit: the registry is always
 * spelled out (no implicit `docker.io`), and a tag or digest is required (`latest` is refused,
 * because it does not name one image).
 */
export class ImageReference {
  /**
   * Parses `registry/repository[:tag][@sha256:digest]`.
   *
   * @example ImageReference.parse('public.ecr.aws/nginx/nginx-unprivileged:1.29.3-alpine')
   */
  static parse(reference: string): ImageReference {
    let rest = reference;
    let digest: string | undefined;
    const at = rest.indexOf('@');
    if (at >= 0) {
      digest = rest.slice(at + 1);
      rest = rest.slice(0, at);
    }
    const slash = rest.indexOf('/');
    const first = slash >= 0 ? rest.slice(0, slash) : '';
    if (slash < 0 || !(first.includes('.') || first.includes(':') || first === 'localhost')) {
      throw new WorkloadValidationError(
        'workloads/image-reference',
        `image '${reference}' must start with its registry host (e.g. 'docker.io/library/nginx:1.29' or 'public.ecr.aws/nginx/nginx:1.29'); implicit Docker Hub references are not allowed`,
      );
    }
    const remainder = rest.slice(slash + 1);
    const colon = remainder.lastIndexOf(':');
    const repository = colon >= 0 ? remainder.slice(0, colon) : remainder;
    const tag = colon >= 0 ? remainder.slice(colon + 1) : undefined;
    return new ImageReference({ registry: first, repository, tag, digest }, reference);
  }

  /** Builds a reference from its parts. */
  static of(props: ImageReferenceProps): ImageReference {
    return new ImageReference(props);
  }

  readonly registry: string;
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;

  private constructor(props: ImageReferenceProps, source?: string) {
    const shown = source ?? `${props.registry}/${props.repository}${props.tag ? `:${props.tag}` : ''}${props.digest ? `@${props.digest}` : ''}`;
    const fail = (message: string): never => {
      throw new WorkloadValidationError('workloads/image-reference', `image '${shown}': ${message}`);
    };
    if (!REGISTRY.test(props.registry)) fail(`registry '${props.registry}' is not a host name with an optional port`);
    const components = props.repository.split('/');
    if (props.repository === '' || components.some((c) => !PATH_COMPONENT.test(c))) {
      fail(`repository '${props.repository}' must be '/'-separated lowercase components (letters, digits, '.', '_', '-')`);
    }
    if (props.tag !== undefined && !TAG.test(props.tag)) {
      fail(`tag '${props.tag}' must be 1-128 characters of letters, digits, '_', '.', '-' and not start with '.' or '-'`);
    }
    if (props.digest !== undefined && !DIGEST.test(props.digest)) {
      fail(`digest '${props.digest}' must be 'sha256:' followed by 64 lowercase hex digits`);
    }
    if (props.tag === undefined && props.digest === undefined) fail('give a tag (e.g. ":1.29.3") or a digest ("@sha256:…")');
    if (props.tag === 'latest' && props.digest === undefined) fail(`tag 'latest' does not name one image; pin a version tag or a digest`);
    this.registry = props.registry;
    this.repository = props.repository;
    this.tag = props.tag;
    this.digest = props.digest;
  }

  /** True when the reference pins a digest (what a `requireDigests` policy checks). */
  get pinned(): boolean {
    return this.digest !== undefined;
  }

  /** Throws unless a digest is pinned; call it where a cluster requires digests. */
  requireDigest(prop = 'image'): this {
    if (!this.pinned) {
      throw new WorkloadValidationError(
        'workloads/image-digest',
        `'${prop}' ('${this}') must pin a digest ('@sha256:…') on this cluster; resolve the tag with 'crane digest ${this}' and append it`,
      );
    }
    return this;
  }

  /** The reference as the container runtime expects it. */
  toString(): string {
    return `${this.registry}/${this.repository}${this.tag ? `:${this.tag}` : ''}${this.digest ? `@${this.digest}` : ''}`;
  }
}

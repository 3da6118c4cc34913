// How the fleet pins an image: by digest. set-image, promote, defineReleases and the app generator
// all check references with this one rule.

/**
 * An image pinned by digest: `[registry/]repository[:tag]@sha256:<64 hex>`. Without a registry host
 * the image is in the cluster's own ECR registry, so no account id is written.
 */
export type DigestPin = string;

const DIGEST_PIN = /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?::[0-9]+)?(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?@sha256:[0-9a-f]{64}$/;

/** Why `ref` is not a digest pin, or undefined when it is one. */
export function digestPinProblem(ref: string): string | undefined {
  if (DIGEST_PIN.test(ref)) return undefined;
  if (!ref.includes('@sha256:')) return `image '${ref}' has no digest; pin it as <repository>[:tag]@sha256:<64 hex digits> (e.g. 'crane digest ${ref}' prints it)`;
  const digest = ref.slice(ref.indexOf('@sha256:') + 8);
  if (!/^[0-9a-f]{64}$/.test(digest)) return `image '${ref}' has a malformed digest '${digest}'; a sha256 digest is 64 lowercase hex digits`;
  return `image '${ref}' is not a valid image reference; use [registry/]repository[:tag]@sha256:<64 hex digits> in lowercase`;
}

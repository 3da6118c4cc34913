/** Media types and annotations of Flux artifacts (fluxcd/pkg `oci`) and cosign signatures (sigstore/cosign). */
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
export const FLUX_CONFIG = 'application/vnd.cncf.flux.config.v1+json';
export const FLUX_CONTENT = 'application/vnd.cncf.flux.content.v1.tar+gzip';
export const COSIGN_SIMPLE_SIGNING = 'application/vnd.dev.cosign.simplesigning.v1+json';

export const SOURCE_ANNOTATION = 'org.opencontainers.image.source';
export const REVISION_ANNOTATION = 'org.opencontainers.image.revision';
export const CREATED_ANNOTATION = 'org.opencontainers.image.created';
export const COSIGN_SIGNATURE_ANNOTATION = 'dev.cosignproject.cosign/signature';

/** go-containerregistry's zero time, which its config files carry for unset times. */
export const ZERO_TIME = '0001-01-01T00:00:00Z';

import type { Partition } from './partition';

/**
 * The fleet's AWS Signer signing profiles, by name: the one home of these names. Signing profile names allow
 * letters, digits and underscores only (no '-').
 *
 * - `flotilla_images`: container images, signed by the image-build workflow through Notation
 *   (`notation sign --plugin com.amazonaws.signer.notation.plugin --id <profile ARN>`), platform
 *   `Notation-OCI-SHA384-ECDSA`;
 * - `flotilla_lambda`: the Lambda zips, signed by `aws signer start-signing-job` in the artifacts workflow,
 *   platform `AWSLambda-SHA384-ECDSA`.
 *
 * @see https://docs.aws.amazon.com/signer/latest/developerguide/signing-profiles.html
 */
export const SIGNING_PROFILES = {
  images: 'flotilla_images',
  lambda: 'flotilla_lambda',
} as const;

export type SigningProfileName = (typeof SIGNING_PROFILES)[keyof typeof SIGNING_PROFILES];

/** Where a signing profile lives: the account and region of a cluster's facts. */
export interface SigningProfileLocation {
  readonly partition: Partition;
  readonly region: string;
  readonly account: string;
}

/**
 * ARN of a signing profile, `arn:<partition>:signer:<region>:<account>:/signing-profiles/<name>` (Signer ARNs have a
 * '/' after the account). Notation's `--id` and the Lambda CodeSigningConfig's allowed publishers take it.
 */
export function signingProfileArn(where: SigningProfileLocation, profile: SigningProfileName): string {
  return `arn:${where.partition}:signer:${where.region}:${where.account}:/signing-profiles/${profile}`;
}

/** ARN pattern of the signing jobs of an account and region (`signer:DescribeSigningJob`, which `aws signer wait` calls). */
export function signingJobsArn(where: SigningProfileLocation): string {
  return `arn:${where.partition}:signer:${where.region}:${where.account}:/signing-jobs/*`;
}

import { partitionOfRegion } from './partition';

/**
 * The fleet's AWS Signer signing profiles: one home for their names, platforms and ARNs. The
 * `signing` unit declares them (Crossplane `SigningProfile`), Ratify's trust policy and the
 * Lambda `CodeSigningConfig` trust them, and CI (`.github/workflows/`) signs with them.
 *
 * @see https://docs.aws.amazon.com/signer/latest/api/API_PutSigningProfile.html
 */
export const SIGNING_PLATFORMS = {
  /** Notation signatures of OCI images (ECR), verified with the AWS Signer root. */
  containerImages: 'Notation-OCI-SHA384-ECDSA',
  /** Signed Lambda zip deployment packages, checked by a Lambda `CodeSigningConfig`. */
  lambda: 'AWSLambda-SHA384-ECDSA',
} as const;

export type SigningPlatformId = (typeof SIGNING_PLATFORMS)[keyof typeof SIGNING_PLATFORMS];

/** A signing profile of the fleet: its AWS name (letters, digits, `_`) and platform. */
export interface SigningProfileSpec {
  readonly name: string;
  readonly platformId: SigningPlatformId;
}

/** Signer profile names: 2 to 64 letters, digits and underscores (no hyphens, unlike Kubernetes names). */
const PROFILE_NAME = /^[a-zA-Z0-9_]{2,64}$/;

function profile(name: string, platformId: SigningPlatformId): SigningProfileSpec {
  if (!PROFILE_NAME.test(name)) throw new Error(`signing profile name '${name}' must be 2 to 64 letters, digits or underscores (AWS Signer rejects '-'), e.g. 'flotilla_images'`);
  return { name, platformId };
}

/** The two profiles every account of the fleet has. */
export const SIGNING_PROFILES = {
  /** Signs every image the image workflow pushes; Ratify trusts only it, and `FlotillaImageSignatures` requires it on prod. */
  images: profile('flotilla_images', SIGNING_PLATFORMS.containerImages),
  /** Signs the Lambda zips (apps/appconfig-sync, apps/policy-findings); their `CodeSigningConfig` allows only it. */
  lambda: profile('flotilla_lambda', SIGNING_PLATFORMS.lambda),
} as const;

/** Where a profile lives: the account and region of a cluster (partition from the region). */
export interface SigningAccount {
  readonly account: string;
  readonly region: string;
}

/** `arn:<partition>:signer:<region>:<account>:/signing-profiles/<name>` (IAM resource and Notation key id). */
export function signingProfileArn(where: SigningAccount, spec: SigningProfileSpec): string {
  return `arn:${partitionOfRegion(where.region)}:signer:${where.region}:${where.account}:/signing-profiles/${spec.name}`;
}

/** Signer's profile version ids: 10 letters and digits, assigned when the profile is created (e.g. `2oCN6RHYVI`). */
const PROFILE_VERSION = /^[a-zA-Z0-9]{10}$/;

/**
 * `<profile ARN>/<version>`: what a Lambda `CodeSigningConfig` lists as allowed publisher. AWS
 * assigns the version when the profile is created; read it from the `SigningProfile`'s
 * `status.atProvider.version` and record it in the cluster's config.
 */
export function signingProfileVersionArn(where: SigningAccount, spec: SigningProfileSpec, version: string): string {
  if (!PROFILE_VERSION.test(version)) {
    throw new Error(
      `signing profile version '${version}' of ${spec.name} is not a Signer version id (10 letters or digits); ` +
        `read it with: kubectl get signingprofile.signer.aws.upbound.io ${signingProfileObjectName(spec)} -o jsonpath='{.status.atProvider.version}'`,
    );
  }
  return `${signingProfileArn(where, spec)}/${version}`;
}

/** The Kubernetes name of a profile's `SigningProfile` object (`_` → `-`); the AWS name is its external name. */
export function signingProfileObjectName(spec: SigningProfileSpec): string {
  return spec.name.toLowerCase().replace(/_/g, '-');
}

/** How long a signature stays valid (Signer's `signatureValidityPeriod`: 1 day to 135 months). */
export class SignatureValidity {
  static days(value: number): SignatureValidity {
    return new SignatureValidity(value, 'DAYS', value / 30);
  }
  static months(value: number): SignatureValidity {
    return new SignatureValidity(value, 'MONTHS', value);
  }
  static years(value: number): SignatureValidity {
    return new SignatureValidity(value, 'YEARS', value * 12);
  }

  private constructor(
    readonly value: number,
    readonly type: 'DAYS' | 'MONTHS' | 'YEARS',
    approxMonths: number,
  ) {
    if (!Number.isInteger(value) || value < 1 || approxMonths > 135) {
      throw new Error(`signature validity ${value} ${type.toLowerCase()} is out of range; AWS Signer accepts a whole number from 1 day to 135 months`);
    }
  }
}

/**
 * Name of the ACK `CodeSigningConfig` (namespace `ack-system`) that allows only the Lambda profile;
 * every ACK `Function` of the fleet names it in `codeSigningConfigRef`.
 */
export const LAMBDA_CODE_SIGNING_CONFIG = 'flotilla-lambda';

/** The unit that declares the profiles and the `CodeSigningConfig` (`charts/platform/signing`); Lambda units depend on it. */
export const SIGNING_UNIT = 'signing';

/** ARN pattern of the signing jobs of an account and region (`signer:DescribeSigningJob`, which `aws signer wait` calls). */
export function signingJobsArn(where: SigningAccount): string {
  return `arn:${partitionOfRegion(where.region)}:signer:${where.region}:${where.account}:/signing-jobs/*`;
}

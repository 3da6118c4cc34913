import { Construct } from 'constructs';
import { type ClusterConfig, LAMBDA_CODE_SIGNING_CONFIG, SIGNING_PROFILES, signingProfileVersionArn } from '@flotilla/config';
import { IDENTITY_NAMESPACE, RemovalPolicy, ackDeletionPolicy } from '@flotilla/constructs';
import * as ackLambda from '@flotilla/k8s-apis/ack-lambda';

/** Lambda's `CodeSigningPolicies.UntrustedArtifactOnDeployment`. */
export enum UntrustedArtifactOnDeployment {
  /** Reject a deployment package that is unsigned, signed by another profile, expired or revoked. */
  ENFORCE = 'Enforce',
  /** Deploy it and log a CloudWatch metric. */
  WARN = 'Warn',
}

export interface LambdaCodeSigningProps {
  readonly cluster: ClusterConfig;
  /** Version id of the Lambda signing profile (`status.atProvider.version` of its SigningProfile). */
  readonly lambdaProfileVersion: string;
  readonly untrustedArtifactOnDeployment: UntrustedArtifactOnDeployment;
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * ACK `CodeSigningConfig` `flotilla-lambda` in `ack-system` (next to the Functions that reference
 * it): the Lambda profile's version is the only allowed publisher.
 */
export class LambdaCodeSigning extends Construct {
  readonly allowedPublisher: string;

  constructor(scope: Construct, id: string, props: LambdaCodeSigningProps) {
    super(scope, id);
    this.allowedPublisher = signingProfileVersionArn(props.cluster, SIGNING_PROFILES.lambda, props.lambdaProfileVersion);
    new ackLambda.CodeSigningConfig(this, 'Resource', {
      metadata: { name: LAMBDA_CODE_SIGNING_CONFIG, namespace: IDENTITY_NAMESPACE, annotations: ackDeletionPolicy(props.removalPolicy ?? RemovalPolicy.RETAIN) },
      spec: {
        description: `Only ${SIGNING_PROFILES.lambda.name} may publish the fleet's Lambda code (Flotilla)`,
        allowedPublishers: { signingProfileVersionArNs: [this.allowedPublisher] },
        codeSigningPolicies: { untrustedArtifactOnDeployment: props.untrustedArtifactOnDeployment },
        tags: { 'flotilla.dev/cluster': props.cluster.name },
      },
    });
  }
}

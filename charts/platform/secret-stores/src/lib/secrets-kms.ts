import type { PolicyStatement } from '@flotilla/model';

const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[0-9a-f-]{36}$|^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/mrk-[0-9a-f]{32}$/;

/** Where the access role's `kms:Decrypt` applies; see the factories. */
interface SecretsKmsSpec {
  readonly kind: 'via-secrets-manager' | 'keys' | 'aws-managed-only';
  readonly keyArns: readonly string[];
}

/**
 * Which KMS keys the tenant secrets access role may decrypt with, always only through Secrets
 * Manager (`kms:ViaService: secretsmanager.<region>.amazonaws.com`) and only for a secret of the
 * cluster's account and region (`kms:EncryptionContext:SecretARN`, the context Secrets Manager sends
 * with every Decrypt). The tenant is enforced one step earlier: Secrets Manager calls KMS for the role
 * only after the role's `GetSecretValue` passed the tenant-tag ABAC, so a session of tenant A never
 * reaches a Decrypt for tenant B's secret. `keysTaggedByTenant` adds the tenant tag on the key itself.
 */
export class SecretsKms {
  /**
   * Any customer-managed key of the cluster's account and region (`key/*`), through Secrets Manager,
   * for the account's secrets only. Needs no key ARN, so a team that encrypts its secret with its own
   * key works without an IAM change; the key policy must still allow the account's IAM policies (the
   * default key policy does).
   */
  static viaSecretsManager(options: { readonly keysTaggedByTenant?: boolean } = {}): SecretsKms {
    return new SecretsKms({ kind: 'via-secrets-manager', keyArns: [] }, options.keysTaggedByTenant ?? false);
  }

  /** Only these key ARNs (same conditions). */
  static keys(keyArns: readonly string[], options: { readonly keysTaggedByTenant?: boolean } = {}): SecretsKms {
    if (keyArns.length === 0) throw new Error("SecretsKms.keys() needs at least one key ARN; use SecretsKms.awsManagedOnly() when every secret uses the aws/secretsmanager key");
    for (const arn of keyArns) {
      if (!KMS_KEY_ARN.test(arn)) throw new Error(`'${arn}' is not a KMS key ARN (arn:aws:kms:<region>:<account>:key/<key id>); aliases cannot scope an IAM policy's Resource`);
    }
    return new SecretsKms({ kind: 'keys', keyArns: [...keyArns].sort() }, options.keysTaggedByTenant ?? false);
  }

  /** No KMS statement: every tenant secret uses the account's `aws/secretsmanager` key (which needs none). */
  static awsManagedOnly(): SecretsKms {
    return new SecretsKms({ kind: 'aws-managed-only', keyArns: [] }, false);
  }

  private constructor(
    private readonly spec: SecretsKmsSpec,
    /** Whether a key must carry the tenant tag of the session (`aws:ResourceTag/<tag>` = `${aws:PrincipalTag/<tag>}`). */
    readonly keysTaggedByTenant: boolean,
  ) {}

  get kind(): SecretsKmsSpec['kind'] {
    return this.spec.kind;
  }

  /** The access role's KMS statement, or none for `awsManagedOnly()`. */
  statements(options: { readonly partition: string; readonly account: string; readonly region: string; readonly tagKey: string }): PolicyStatement[] {
    if (this.spec.kind === 'aws-managed-only') return [];
    const { partition, account, region, tagKey } = options;
    return [
      {
        sid: 'DecryptTenantSecretsThroughSecretsManager',
        actions: ['kms:Decrypt'],
        resources: this.spec.kind === 'keys' ? [...this.spec.keyArns] : [`arn:${partition}:kms:${region}:${account}:key/*`],
        conditions: {
          StringEquals: {
            'kms:ViaService': `secretsmanager.${region}.amazonaws.com`,
            ...(this.keysTaggedByTenant ? { [`aws:ResourceTag/${tagKey}`]: `\${aws:PrincipalTag/${tagKey}}` } : {}),
          },
          StringLike: { 'kms:EncryptionContext:SecretARN': `arn:${partition}:secretsmanager:${region}:${account}:secret:*` },
        },
      },
    ];
  }
}

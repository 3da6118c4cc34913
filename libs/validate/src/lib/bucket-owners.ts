import { findingFor, type Finding, type RenderedObject } from '@flotilla/model';

const ACK_S3_GROUP = 's3.services.k8s.aws';

/**
 * One S3 bucket, one ACK `Bucket` object per cluster: the S3 controller acts for every object alike, so a second
 * object naming a bucket (a tenant's, say, naming the platform's artifacts bucket) would reconfigure it, policy
 * included. Reported on every object after the first, naming the first.
 */
export function checkBucketOwners(objects: readonly RenderedObject[]): Finding[] {
  const owners = new Map<string, RenderedObject>();
  const findings: Finding[] = [];
  for (const rendered of objects) {
    const { object } = rendered;
    if (object.kind !== 'Bucket' || object.apiVersion.split('/')[0] !== ACK_S3_GROUP) continue;
    const name = (object.spec as { name?: unknown } | undefined)?.name;
    if (typeof name !== 'string') continue;
    const key = `${rendered.cluster ?? ''}\u0000${name}`;
    const first = owners.get(key);
    if (!first) {
      owners.set(key, rendered);
      continue;
    }
    findings.push(
      findingFor(rendered, {
        severity: 'error',
        code: 'ref/duplicate-bucket',
        path: 'spec.name',
        message: `S3 bucket '${name}' is already managed by Bucket ${first.object.metadata.namespace ?? ''}/${first.object.metadata.name} (${first.file}); two ACK objects would both reconfigure it`,
        fix: 'give this bucket its own name (tenant buckets start with the team name), or remove one of the objects',
      }),
    );
  }
  return findings;
}

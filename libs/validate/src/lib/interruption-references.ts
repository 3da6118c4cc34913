import { apiGroupOf, findingFor, joinFieldPath, type Finding } from '@flotilla/model';
import { field, listOf, type ClusterIndex } from './cluster-index';

/** `arn:<partition>:sqs:<region>:<account>:<queue name>`. */
const SQS_ARN = /^arn:[\w-]+:sqs:[\w-]+:\d{12}:([\w-]{1,80})$/;

/** The queue name an SQS ARN names, or undefined when the ARN is not an SQS queue's. */
export function sqsQueueNameOf(arn: string): string | undefined {
  return SQS_ARN.exec(arn)?.[1];
}

/** Karpenter's `settings.interruptionQueue` is a queue name (or its URL, whose last segment is the name). */
function queueNameOfSetting(value: string): string {
  return value.replace(/\/+$/, '').split('/').pop() ?? value;
}

/**
 * EventBridge rules that target an SQS queue must target the queue Karpenter reads: a rule that
 * feeds any other queue leaves interruption events unread, and Karpenter never drains the node.
 * Karpenter's HelmReleases are those that set `spec.values.settings.interruptionQueue`.
 */
export function checkInterruptionQueue(index: ClusterIndex): Finding[] {
  const read = new Map<string, string>();
  for (const release of index.ofKind('helm.toolkit.fluxcd.io', 'HelmRelease')) {
    const setting = field<unknown>(release.object.spec, 'values', 'settings', 'interruptionQueue');
    if (typeof setting === 'string' && setting) read.set(queueNameOfSetting(setting), `HelmRelease ${release.object.metadata.namespace ?? 'default'}/${release.object.metadata.name}`);
  }
  const cluster = index.cluster ?? '(none)';
  const findings: Finding[] = [];
  for (const rule of index.objects) {
    if (apiGroupOf(rule.object.apiVersion) !== 'eventbridge.services.k8s.aws' || rule.object.kind !== 'Rule') continue;
    listOf<{ arn?: unknown }>(field(rule.object.spec, 'targets')).forEach((target, i) => {
      if (typeof target?.arn !== 'string') return;
      const queue = sqsQueueNameOf(target.arn);
      if (!queue || read.has(queue)) return;
      const known = [...read.entries()];
      findings.push(
        findingFor(rule, {
          severity: 'error',
          code: 'ref/interruption-queue-mismatch',
          path: joinFieldPath(['spec', 'targets', i, 'arn']),
          message:
            known.length === 0
              ? `targets SQS queue ${queue}, but no Karpenter HelmRelease in cluster ${cluster} sets settings.interruptionQueue, so nothing reads the events`
              : `targets SQS queue ${queue}, but Karpenter in cluster ${cluster} reads ${known.map(([name, from]) => `${name} (${from} settings.interruptionQueue)`).join(', ')}, so these events are never handled`,
          fix:
            known.length === 0
              ? `turn on Karpenter's interruption handling (settings.interruptionQueue: ${queue}) or remove this target`
              : `point the target at ${target.arn.replace(/[^:]+$/, known[0]![0])}, or set Karpenter's settings.interruptionQueue to ${queue}`,
        }),
      );
    });
  }
  return findings;
}

import { describe, expect, it } from 'vitest';
import type { Finding } from '@flotilla/model';
import { editDev, errorsOf } from '../testing';

// Issue 20 (part 5): the committed dev render with one realistic mistake in the interruption
// wiring or the Flux notifications, through every check synth and `flotilla validate` share.

const RULE = 'karpenter.interruption/Rule.eventbridge.services.k8s.aws_karpenter_interruption-spot-interruption.yaml';
const ALERT = 'flux-notifications/Alert.notification.toolkit.fluxcd.io_flux-system_github-commit-status.yaml';

function expectOnly(findings: Finding[], expected: Partial<Finding> & { code: string }): void {
  expect(findings).toEqual([expect.objectContaining({ cluster: 'dev', ...expected })]);
  expect(findings[0]!.file).toMatch(/^clusters\/dev\/infra-configs\//);
  expect(findings[0]!.fix).toBeTruthy();
}

describe('interruption and notification faults checked by synth and flotilla validate', () => {
  it('an EventBridge rule that targets another queue than Karpenter reads is an error', () => {
    const objects = editDev(RULE, (o) => (o.spec.targets[0].arn = 'arn:aws:sqs:eu-north-1:111111111111:dev-other-queue'));
    expectOnly(errorsOf(objects), {
      code: 'ref/interruption-queue-mismatch',
      object: 'Rule karpenter/interruption-spot-interruption',
      path: 'spec.targets[0].arn',
      fix: "point the target at arn:aws:sqs:eu-north-1:111111111111:dev-karpenter-interruption, or set Karpenter's settings.interruptionQueue to dev-other-queue",
    });
  });

  it('an Alert whose Provider does not exist is an error', () => {
    const objects = editDev(ALERT, (o) => (o.spec.providerRef.name = 'github-comit-status'));
    expectOnly(errorsOf(objects), { code: 'ref/missing-provider', object: 'Alert flux-system/github-commit-status', path: 'spec.providerRef.name', fix: expect.stringContaining('did you mean "github-commit-status"?') });
  });

  it('a typo in an Alert event source is an error', () => {
    const objects = editDev(ALERT, (o) => (o.spec.eventSources.find((s: { namespace?: string }) => s.namespace === 'karpenter').namespace = 'karpentr'));
    expectOnly(errorsOf(objects), { code: 'ref/empty-event-source', message: 'event source HelmRelease/* in namespace karpentr matches no object in cluster dev, so the Alert never fires for it' });
  });
});

import { describeObject, findingFor, type Finding, type RenderedObject } from '@flotilla/model';
import { byCluster, type ClusterIndex } from './cluster-index';
import { checkCrdProviders, checkFluxReferences } from './flux-references';
import { checkAlertRuleExprs } from './alert-rule-exprs';
import { checkSignedImages } from './image-signatures';
import { checkInterruptionQueue } from './interruption-references';
import { checkLambdaCodeSigning } from './lambda-code-signing';
import { checkNotificationReferences } from './notification-references';
import { checkObjectReferences } from './object-references';
import { checkRouteReferences } from './route-references';
import { checkScrapeTargets } from './scrape-targets';
import { checkSelectors } from './selectors';
import { checkNamespaces, checkWorkloadReferences } from './workload-references';
import { checkAwsEgress } from './aws-egress';

function checkDuplicates(index: ClusterIndex): Finding[] {
  return index.duplicates().map(([first, ...rest]) =>
    findingFor(first!, {
      severity: 'error',
      code: 'ref/duplicate-object',
      message: `${describeObject(first!.object)} is declared ${rest.length + 1} times in cluster ${index.cluster ?? '(none)'} (also in ${rest.map((r) => r.file).join(', ')})`,
      fix: 'keep one declaration; Flux would apply them in turn and the last one wins',
    }),
  );
}

/**
 * Cross-object checks, per cluster (`RenderedObject.cluster`): Flux sources and dependsOn targets
 * exist and dependsOn is acyclic, custom resources are applied after their CRDs are installed,
 * namespaces exist, pod specs and ExternalSecrets refer to objects that will exist, and routes
 * (Gateway API, Ingress, Kong plugin annotations) point at existing Gateways, Services and plugins,
 * EventBridge rules feed the SQS queue Karpenter reads, workloads that use AWS (Pod Identity, IRSA, the
 * AppConfig Agent) have a network path to it (checkAwsEgress), Flux Alerts name existing Providers and
 * event sources, collector scrape jobs select pods and metrics ports that exist, AMP alert rules
 * parse as PromQL over known metrics, and where signatures are enforced (a `deny` FlotillaImageSignatures
 * constraint) every image is a digest from a covered registry and every Lambda Function enforces code signing.
 */
export function checkReferences(objects: readonly RenderedObject[]): Finding[] {
  const findings: Finding[] = [];
  for (const index of byCluster(objects)) {
    findings.push(
      ...checkDuplicates(index),
      ...checkFluxReferences(index),
      ...checkCrdProviders(index),
      ...checkNamespaces(index),
      ...checkWorkloadReferences(index),
      ...checkRouteReferences(index),
      ...checkObjectReferences(index),
      ...checkSelectors(index),
      ...checkInterruptionQueue(index),
      ...checkNotificationReferences(index),
      ...checkScrapeTargets(index),
      ...checkAlertRuleExprs(index),
      ...checkSignedImages(index),
      ...checkLambdaCodeSigning(index),
      ...checkAwsEgress(index),
    );
  }
  return findings;
}

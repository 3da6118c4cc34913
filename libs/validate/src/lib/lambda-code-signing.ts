import { findingFor, joinFieldPath, type Finding } from '@flotilla/model';
import { field, type ClusterIndex } from './cluster-index';
import { enforcingPolicies } from './image-signatures';

const ACK_LAMBDA = 'lambda.services.k8s.aws';

/**
 * In a cluster that enforces signatures (a `deny` FlotillaImageSignatures constraint, i.e. prod), Lambda
 * code must be signed too: every ACK `Function` names a `CodeSigningConfig` (`codeSigningConfigRef`
 * to one rendered in the cluster, or `codeSigningConfigARN`), and every `CodeSigningConfig` sets
 * `untrustedArtifactOnDeployment: Enforce` (Lambda's default is `Warn`, which deploys unsigned code).
 */
export function checkLambdaCodeSigning(index: ClusterIndex): Finding[] {
  const policies = enforcingPolicies(index);
  if (policies.length === 0) return [];
  const cluster = index.cluster ?? '(none)';
  const because = `cluster ${cluster} enforces signatures (FlotillaImageSignatures ${policies.map((p) => p.name).join(', ')} denies unsigned images)`;
  const findings: Finding[] = [];
  for (const config of index.ofKind(ACK_LAMBDA, 'CodeSigningConfig')) {
    const action = field<unknown>(config.object.spec, 'codeSigningPolicies', 'untrustedArtifactOnDeployment');
    if (action === 'Enforce') continue;
    findings.push(
      findingFor(config, {
        severity: 'error',
        code: 'supply-chain/lambda-signing-not-enforced',
        path: joinFieldPath(['spec', 'codeSigningPolicies', 'untrustedArtifactOnDeployment']),
        message: `is ${action === undefined ? 'unset (Lambda defaults to Warn)' : `'${String(action)}'`}, so Lambda deploys unsigned or foreign code; ${because}`,
        fix: "set untrustedArtifactOnDeployment: Enforce (signing({ untrustedLambdaArtifact: UntrustedArtifactOnDeployment.ENFORCE }), the default)",
      }),
    );
  }
  for (const fn of index.ofKind(ACK_LAMBDA, 'Function')) {
    const namespace = fn.object.metadata.namespace ?? 'default';
    if (typeof field<unknown>(fn.object.spec, 'codeSigningConfigARN') === 'string') continue;
    const ref = field<{ name?: unknown; namespace?: unknown }>(fn.object.spec, 'codeSigningConfigRef', 'from');
    if (typeof ref?.name === 'string') {
      const refNamespace = typeof ref.namespace === 'string' ? ref.namespace : namespace;
      if (index.has(ACK_LAMBDA, 'CodeSigningConfig', refNamespace, ref.name)) continue;
      findings.push(
        findingFor(fn, {
          severity: 'error',
          code: 'supply-chain/lambda-signing-config-missing',
          path: joinFieldPath(['spec', 'codeSigningConfigRef', 'from', 'name']),
          message: `references CodeSigningConfig ${refNamespace}/${ref.name}, which cluster ${cluster} does not render, so ACK cannot attach it`,
          fix: `add the signing unit (charts/platform/signing) to cluster ${cluster}, or reference the CodeSigningConfig it renders (flotilla-lambda in ack-system)`,
        }),
      );
      continue;
    }
    findings.push(
      findingFor(fn, {
        severity: 'error',
        code: 'supply-chain/lambda-unsigned',
        path: joinFieldPath(['spec', 'codeSigningConfigRef']),
        message: `has no code signing config, so any zip in its artifact bucket deploys; ${because}`,
        fix: "set codeSigningConfigRef: { from: { name: 'flotilla-lambda' } } (LAMBDA_CODE_SIGNING_CONFIG from @flotilla/config)",
      }),
    );
  }
  return findings;
}

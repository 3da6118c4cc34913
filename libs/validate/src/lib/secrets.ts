import { findingFor, type Finding, type RenderedObject } from '@flotilla/model';

/**
 * Secret guard: a v1 `Secret` carrying `data` or `stringData` would put secret material in Git.
 * Secrets live in AWS Secrets Manager and reach pods through an ExternalSecret or the Secrets Store
 * CSI driver; Secrets without data (e.g. service-account token Secrets) are fine.
 */
export function checkSecrets(objects: readonly RenderedObject[]): Finding[] {
  const findings: Finding[] = [];
  for (const rendered of objects) {
    const { object } = rendered;
    if (object.kind !== 'Secret' || object.apiVersion !== 'v1') continue;
    for (const field of ['data', 'stringData'] as const) {
      const value = object[field];
      if (value === undefined || value === null) continue;
      if (typeof value === 'object' && Object.keys(value).length === 0) continue;
      const keys = typeof value === 'object' ? Object.keys(value as object).sort().join(', ') : '';
      findings.push(
        findingFor(rendered, {
          severity: 'error',
          code: 'secret/inline-data',
          path: field,
          message: `Secret carries ${field}${keys ? ` (${keys})` : ''} in Git; secrets live in AWS Secrets Manager`,
          fix: `store the values in AWS Secrets Manager and deliver them with an ExternalSecret (target name ${object.metadata.name}) or a SecretProviderClass for the Secrets Store CSI driver, then delete this Secret`,
        }),
      );
    }
  }
  return findings;
}

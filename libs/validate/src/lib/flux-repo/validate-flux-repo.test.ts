import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FLUX_REPOS, lineOf, scratchRepo } from '../../testing';
import { validateFluxRepository } from './validate-flux-repo';

const errorsOf = (result: ReturnType<typeof validateFluxRepository>) => result.findings.filter((finding) => finding.severity === 'error');
let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const remove of cleanup) remove();
  cleanup = [];
});
function scratch(fixture?: string) {
  const repo = scratchRepo(fixture);
  cleanup.push(repo.remove);
  return repo;
}

describe('validate on fluxcd/flux2-kustomize-helm-example', () => {
  it('builds every Flux path with kustomize and finds no error', () => {
    const result = validateFluxRepository(join(FLUX_REPOS, 'flux2-kustomize-helm-example'), { ignoreMissingSchemas: true });
    expect(errorsOf(result)).toEqual([]);
    // Two bootstrap roots, and apps, infra-controllers and infra-configs for each cluster (through the ArtifactGenerator).
    expect(result.builds.map((build) => `${build.cluster} ${build.kustomization} ${build.path}`).sort()).toEqual([
      'production Kustomization flux-system/apps apps/production',
      'production Kustomization flux-system/flux-system clusters/production',
      'production Kustomization flux-system/infra-configs infrastructure/configs',
      'production Kustomization flux-system/infra-controllers infrastructure/controllers',
      'staging Kustomization flux-system/apps apps/staging',
      'staging Kustomization flux-system/flux-system clusters/staging',
      'staging Kustomization flux-system/infra-configs infrastructure/configs',
      'staging Kustomization flux-system/infra-controllers infrastructure/controllers',
    ]);
    expect(result.builds.every((build) => build.problem === undefined && build.objects > 0)).toBe(true);
    // The HelmRelease patches are patches, never objects of their own.
    expect(result.skippedFiles.filter((file) => file.role === 'patch').map((file) => file.file)).toEqual(['apps/production/podinfo-values.yaml', 'apps/staging/podinfo-values.yaml']);
    expect(result.validatedFiles).not.toContain('apps/production/podinfo-values.yaml');
  });

  it('without --ignore-missing-schemas, only the kinds without a schema fail', () => {
    const result = validateFluxRepository(join(FLUX_REPOS, 'flux2-kustomize-helm-example'));
    expect([...new Set(errorsOf(result).map((finding) => `${finding.code} ${finding.object}`))].sort()).toEqual([
      // cert-manager's ClusterIssuer is known since its CRDs are vendored (libs/upstream cert-manager v1.21.1).
      'schema/unknown-kind ArtifactGenerator flux-system/flux-system',
    ]);
  });

  it('reports a wrong field of a HelmRelease patch at the patch file and line', () => {
    const repo = scratch('flux2-kustomize-helm-example');
    repo.edit('apps/production/podinfo-values.yaml', (text) => text.replace('      version: ">=1.0.0"', '      version: ">=1.0.0"\n      verison: "1.2.3"'));
    const errors = errorsOf(validateFluxRepository(repo.dir, { ignoreMissingSchemas: true }));
    expect(errors).toMatchObject([
      { code: 'schema/unknown-field', object: 'HelmRelease podinfo/podinfo', file: `apps/production/podinfo-values.yaml:${lineOf(repo.dir, 'apps/production/podinfo-values.yaml', 'verison')}`, cluster: 'production' },
    ]);
  });

  it('reports a wrong field of a base object at its own file and line, once for both clusters', () => {
    const repo = scratch('flux2-kustomize-helm-example');
    repo.edit('apps/base/podinfo/release.yaml', (text) => text.replace('  interval: 50m', '  interval: 50 minutes'));
    const errors = errorsOf(validateFluxRepository(repo.dir, { ignoreMissingSchemas: true }));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ path: 'spec.interval', file: `apps/base/podinfo/release.yaml:${lineOf(repo.dir, 'apps/base/podinfo/release.yaml', 'interval: 50 minutes')}`, cluster: 'production, staging' });
  });

  it('applies postBuild.substitute, and reports a broken variable at the line that holds it', () => {
    const repo = scratch('flux2-kustomize-helm-example');
    const withVars = (vars: string) => (text: string) => text.replace('  wait: true', `  wait: true\n  postBuild:\n    substitute:\n${vars}`);
    repo.edit('clusters/production/apps.yaml', withVars('      release_interval: "30m"\n'));
    repo.edit('clusters/staging/apps.yaml', withVars('      release_interval: "30 minutes"\n'));
    repo.edit('apps/base/podinfo/release.yaml', (text) => text.replace('  interval: 50m', '  interval: ${release_interval}').replace('enabled: true\n      repository', 'enabled: true\n      note: ${unfinished\n      repository'));
    const errors = errorsOf(validateFluxRepository(repo.dir, { ignoreMissingSchemas: true }));
    const file = 'apps/base/podinfo/release.yaml';
    expect(errors.map((finding) => [finding.code, finding.file, finding.cluster])).toEqual([['flux/substitute-syntax', `${file}:${lineOf(repo.dir, file, '${unfinished')}`, 'production, staging']]);
    repo.edit('apps/base/podinfo/release.yaml', (text) => text.replace('      note: ${unfinished\n', ''));
    // The substituted value is validated: staging's "30 minutes" is not a duration, reported where ${release_interval} is.
    const substituted = errorsOf(validateFluxRepository(repo.dir, { ignoreMissingSchemas: true }));
    expect(substituted).toMatchObject([{ path: 'spec.interval', cluster: 'staging', file: `${file}:${lineOf(repo.dir, file, '${release_interval}')}` }]);
    expect(substituted[0]!.message).toMatch(/30 minutes/);
  });

  it('reports a Flux path that does not exist on the Kustomization that names it', () => {
    const repo = scratch('flux2-kustomize-helm-example');
    repo.edit('clusters/production/apps.yaml', (text) => text.replace('path: ./production', 'path: ./prod'));
    const errors = errorsOf(validateFluxRepository(repo.dir, { ignoreMissingSchemas: true }));
    expect(errors).toMatchObject([
      {
        code: 'flux/path-not-found',
        object: 'Kustomization flux-system/apps',
        path: 'spec.path',
        file: `clusters/production/apps.yaml:${lineOf(repo.dir, 'clusters/production/apps.yaml', 'path: ./prod')}`,
        message: expect.stringMatching(/\.\/prod is not in ExternalArtifact flux-system\/apps/),
      },
    ]);
  });

  it('a bootstrapped repository (real gotk-sync.yaml) builds from its declared root Kustomization', () => {
    const repo = scratch('flux2-kustomize-helm-example');
    repo.write(
      'clusters/production/flux-system/gotk-sync.yaml',
      `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: flux-system, namespace: flux-system}
spec: {interval: 1m0s, ref: {branch: main}, secretRef: {name: flux-system}, url: ssh://git@github.com/example/fleet}
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: flux-system, namespace: flux-system}
spec: {interval: 10m0s, path: ./clusters/production, prune: true, sourceRef: {kind: GitRepository, name: flux-system}}
`,
    );
    const result = validateFluxRepository(repo.dir, { ignoreMissingSchemas: true });
    expect(errorsOf(result)).toEqual([]);
    expect(result.builds.filter((build) => build.cluster === 'production').map((build) => build.path).sort()).toEqual(['apps/production', 'clusters/production', 'infrastructure/configs', 'infrastructure/controllers']);
    expect(result.validatedFiles).toContain('clusters/production/flux-system/gotk-sync.yaml');
  });

  it('without kustomize, says which paths could not be built and validates their files one by one', () => {
    const result = validateFluxRepository(join(FLUX_REPOS, 'flux2-kustomize-helm-example'), { ignoreMissingSchemas: true, kustomize: null });
    expect(result.kustomize).toBeUndefined();
    expect(errorsOf(result)).toEqual([]);
    const notBuilt = result.findings.filter((finding) => finding.code === 'flux/not-built');
    expect([...new Set(notBuilt.map((finding) => finding.message.split(' ')[0]))].sort()).toEqual([
      'apps/production',
      'apps/staging',
      'clusters/production',
      'clusters/staging',
      'infrastructure/configs',
      'infrastructure/controllers',
    ]);
    expect(notBuilt[0]!.message).toMatch(/could not be built: kustomize is not available/);
    expect(result.validatedFiles).toContain('apps/base/podinfo/release.yaml');
    expect(result.validatedFiles).not.toContain('apps/production/podinfo-values.yaml');
  });
});

describe('validate on fluxcd/flux2-multi-tenancy', () => {
  it('finds only the one true error: OCIRepository v1beta2, which Flux 2.8 stopped serving', () => {
    const result = validateFluxRepository(join(FLUX_REPOS, 'flux2-multi-tenancy'), { ignoreMissingSchemas: true });
    expect(errorsOf(result)).toMatchObject([
      { code: 'schema/unknown-kind', object: 'OCIRepository flux-system/kyverno-controller', file: 'infrastructure/kyverno/source.yaml:1', message: expect.stringMatching(/v1beta2/), fix: 'use apiVersion: source.toolkit.fluxcd.io/v1' },
    ]);
    // The tenant's path is patched in per cluster and lives on another branch; kyverno comes from OCI.
    expect(result.findings.filter((finding) => finding.code === 'flux/external-source').map((finding) => finding.object).sort()).toEqual(['Kustomization apps/dev-team', 'Kustomization flux-system/kyverno-controller']);
    expect(result.builds.filter((build) => build.path === 'tenants/production' || build.path === 'tenants/staging')).toHaveLength(2);
  });

  it('is clean once that apiVersion is updated', () => {
    const repo = scratch('flux2-multi-tenancy');
    repo.edit('infrastructure/kyverno/source.yaml', (text) => text.replace('source.toolkit.fluxcd.io/v1beta2', 'source.toolkit.fluxcd.io/v1'));
    expect(errorsOf(validateFluxRepository(repo.dir, { ignoreMissingSchemas: true }))).toEqual([]);
  });

  it('reports a tenant fault in a patch file at the patch line', () => {
    const repo = scratch('flux2-multi-tenancy');
    repo.edit('infrastructure/kyverno/source.yaml', (text) => text.replace('source.toolkit.fluxcd.io/v1beta2', 'source.toolkit.fluxcd.io/v1'));
    repo.edit('tenants/staging/dev-team-patch.yaml', (text) => text.replace('  path: ./staging', '  path: ./staging\n  prune: "yes"'));
    expect(errorsOf(validateFluxRepository(repo.dir, { ignoreMissingSchemas: true }))).toMatchObject([
      { path: 'spec.prune', object: 'Kustomization apps/dev-team', cluster: 'staging', file: `tenants/staging/dev-team-patch.yaml:${lineOf(repo.dir, 'tenants/staging/dev-team-patch.yaml', 'prune')}` },
    ]);
  });

  it('reports a path missing from this repository on the Kustomization that names it', () => {
    const repo = scratch('flux2-multi-tenancy');
    repo.edit('clusters/staging/tenants.yaml', (text) => text.replace('path: ./tenants/staging', 'path: ./tenants/stage'));
    const missing = errorsOf(validateFluxRepository(repo.dir, { ignoreMissingSchemas: true })).filter((finding) => finding.code === 'flux/path-not-found');
    expect(missing).toMatchObject([
      {
        object: 'Kustomization flux-system/tenants',
        cluster: 'staging',
        file: `clusters/staging/tenants.yaml:${lineOf(repo.dir, 'clusters/staging/tenants.yaml', 'path: ./tenants/stage')}`,
        fix: 'point spec.path at an existing folder (tenants exists)',
      },
    ]);
  });

  it('--skip leaves kinds out', () => {
    const result = validateFluxRepository(join(FLUX_REPOS, 'flux2-multi-tenancy'), { ignoreMissingSchemas: true, skipKinds: ['OCIRepository'] });
    expect(errorsOf(result)).toEqual([]);
    expect(result.skippedObjects).toBe(2);
  });
});

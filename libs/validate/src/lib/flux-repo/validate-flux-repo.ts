import { apiGroupOf, describeObject, type Finding, type KubeObject, type RenderedObject } from '@flotilla/model';
import { SchemaCatalog, type KubernetesVersion } from '@flotilla/schemas';
import { parseManifests } from '../parse';
import { checkReferences } from '../references';
import { SchemaValidator } from '../schema-validator';
import { checkSecrets } from '../secrets';
import type { BuiltObject } from './build-path';
import { buildAll, type DeclaredObject, type PathBuild } from './build-graph';
import { bootstrapContext } from './context';
import { findKustomize, type KustomizeCommand } from './kustomize-runner';
import { kustomizeTreeFiles } from './kustomize-tree';
import { readRepoFiles, type FileRole, type RepoFile } from './repo-files';
import { locateField, locateText, type SourceLocation } from './source-map';
import { collectVariables, substituteObject } from './substitution';

export interface FluxRepoOptions {
  /** Kubernetes version whose built-in schemas apply. @default '1.35' */
  readonly kubernetesVersion?: KubernetesVersion;
  /** How to run kustomize; `null` when there is none. @default - {@link findKustomize} */
  readonly kustomize?: KustomizeCommand | null;
  /** Objects of API groups without any bundled schema are noted instead of failing (kubeconform's -ignore-missing-schemas). @default false */
  readonly ignoreMissingSchemas?: boolean;
  /** Kinds not validated at all: `Kind` or `group/version/Kind` (kubeconform's -skip). @default - none */
  readonly skipKinds?: readonly string[];
  /** Kinds accepted without a schema: `group/Kind` or `group/*`. @default - none */
  readonly allowedUnknownKinds?: readonly string[];
  /** Prefix for file names in findings (the folder as the user named it). @default '' */
  readonly displayPrefix?: string;
}

export interface FluxRepoResult {
  readonly findings: Finding[];
  /** YAML files read. */
  readonly files: number;
  /** Objects validated (built or read one by one), after skips. */
  readonly objects: number;
  /** Source files of the validated objects (with the display prefix). */
  readonly validatedFiles: readonly string[];
  /** Objects left out: `--skip` kinds and SOPS-encrypted ones. */
  readonly skippedObjects: number;
  /** Files not validated as objects, with why (patch, kustomization, values, SOPS…). */
  readonly skippedFiles: readonly { file: string; role: FileRole; reason: string }[];
  readonly builds: readonly { kustomization: string; cluster: string; path?: string; objects: number; generated?: boolean; problem?: string }[];
  /** How kustomize ran, or undefined when it was not found. */
  readonly kustomize?: string;
}

/** A validated object and how to find its source. */
interface Entry {
  readonly built: BuiltObject;
  readonly cluster?: string;
  readonly kustomization?: PathBuild['site'];
}

const SKIP_NOTE: Partial<Record<FileRole, string>> = {
  kustomization: 'flux-repo/kustomization',
  'kustomize-config': 'flux-repo/kustomize-config',
  values: 'flux-repo/helm-values',
  sops: 'flux-repo/sops',
};

/**
 * `flotilla validate` for a hand-written Flux repository: builds every Flux Kustomization's path
 * with the real kustomize as kustomize-controller does (generated kustomization, Flux patches and
 * targetNamespace, postBuild substitution), validates the result with the schema, CEL, Secret and
 * reference checks, and reports each finding at the source file and line the object or field comes
 * from. Files outside every build are validated one by one; patches only inside builds; kustomize
 * configs, Helm values and SOPS-encrypted files are noted, never errors.
 */
export function validateFluxRepository(root: string, options: FluxRepoOptions = {}): FluxRepoResult {
  const kustomize = options.kustomize === null ? undefined : (options.kustomize ?? findKustomize());
  const files = readRepoFiles(root);
  const prefix = options.displayPrefix ? `${options.displayPrefix.replace(/\/+$/, '')}/` : '';
  const findings: Finding[] = [];
  const manifestFiles = [...files.values()].filter((file) => file.role === 'manifest');
  const parsed = parseManifests(manifestFiles.map((file) => ({ file: file.path, content: file.content })));
  findings.push(...parsed.findings.map((finding) => ({ ...finding, cluster: undefined, file: `${prefix}${finding.file}` })));
  const declared: DeclaredObject[] = parsed.objects.map((rendered) => ({
    object: rendered.object,
    at: { file: rendered.file, line: files.get(rendered.file)!.docs[rendered.index]!.line },
  }));

  const builds = buildAll(root, files, declared, kustomize);
  const entries: Entry[] = [];
  const covered = new Set<string>();
  for (const build of builds) {
    const site = build.site;
    if (build.problem) {
      // A failed build applies nothing: its files are not judged one by one (unsubstituted, unpatched)
      // unless kustomize was missing, when judging them one by one is all there is.
      if (build.problem.code !== 'flux/not-built' && build.dir !== undefined) for (const file of kustomizeTreeFiles(files, build.dir)) covered.add(file);
      const at = site.at ? locateField(files, { object: site.object, origin: site.at.file, patchedIn: [] }, 'spec.path') : undefined;
      findings.push({ severity: build.problem.severity, code: build.problem.code, file: at ? `${prefix}${at.file}:${at.line}` : undefined, object: describeObject(site.object), path: 'spec.path', message: build.problem.message, fix: build.problem.fix, cluster: site.cluster });
      continue;
    }
    const own = [...builds.filter((b) => b.site.cluster === site.cluster).flatMap((b) => b.objects.map((o) => o.object)), ...declared.map((d) => d.object)];
    const { vars, problems } = collectVariables(site.object, own);
    for (const problem of problems) findings.push({ severity: 'error', code: 'flux/substitute-name', file: site.at ? `${prefix}${site.at.file}:${site.at.line}` : undefined, object: describeObject(site.object), ...problem, cluster: site.cluster });
    for (const built of build.objects) {
      if (built.origin) covered.add(built.origin);
      const substituted = substituteObject(built.object, vars);
      const source = built.origin ? files.get(built.origin) : undefined;
      for (const problem of substituted.problems) {
        const at: SourceLocation | undefined = source ? locateText(source, built.object, problem.text) : undefined;
        findings.push({
          severity: problem.severity,
          code: problem.severity === 'error' ? 'flux/substitute-syntax' : 'flux/substitute-undefined',
          file: at ? `${prefix}${at.file}:${at.line}` : undefined,
          object: describeObject(built.object),
          message: `${problem.message} (postBuild of Kustomization ${describeObject(site.object).replace(/^Kustomization /, '')})`,
          fix: problem.fix,
          cluster: site.cluster,
        });
      }
      // A failed substitution fails the whole Kustomization; the unsubstituted object is not judged.
      if (substituted.problems.some((problem) => problem.severity === 'error')) continue;
      entries.push({ built: { ...built, object: substituted.object }, cluster: site.cluster, kustomization: site });
    }
  }
  // Files no build took in are validated one by one.
  for (const rendered of parsed.objects) {
    if (covered.has(rendered.file)) continue;
    entries.push({ built: { object: rendered.object, origin: rendered.file, patchedIn: [] } });
  }

  const skipped = skipMatcher(options.skipKinds ?? []);
  const judged: RenderedObject[] = [];
  /** Skipped kinds still exist in the cluster: context for the reference checks. */
  const unjudged: RenderedObject[] = [];
  const byId = new Map<string, Entry>();
  let skippedObjects = 0;
  entries.forEach((entry, n) => {
    const object = entry.built.object;
    const sourceRole = entry.built.origin ? files.get(entry.built.origin)?.role : undefined;
    if (sourceRole === 'sops' || 'sops' in object) {
      skippedObjects++;
      return;
    }
    if (skipped(object)) {
      skippedObjects++;
      unjudged.push({ file: `\u0003${n}`, index: 0, object, cluster: entry.cluster });
      return;
    }
    // Ids sit under the Kustomization's spec.path, so the CRD-provider check finds the owner.
    const path = String((entry.kustomization?.object.spec as { path?: string } | undefined)?.path ?? '').replace(/^\.?\/*/, '').replace(/\/+$/, '');
    const id = `${path ? `${path}/` : ''}\u0001${n}`;
    byId.set(id, entry);
    judged.push({ file: id, index: 0, object, cluster: entry.cluster });
  });

  const version = options.kubernetesVersion ?? '1.35';
  const raw: Finding[] = [
    ...SchemaValidator.load().validate(judged, { kubernetesVersion: version, allowedUnknownKinds: [...(options.allowedUnknownKinds ?? [])] }),
    ...checkSecrets(judged),
  ];
  const clusters = [...new Set(judged.map((r) => r.cluster).filter((c): c is string => c !== undefined))];
  for (const cluster of clusters) {
    const members = [...judged, ...unjudged].filter((r) => r.cluster === cluster);
    const context = bootstrapContext(files, members.map((r) => r.object), cluster).map((object, i): RenderedObject => ({ file: `\u0002${i}`, index: 0, object, cluster }));
    raw.push(...checkReferences([...members, ...context]).filter((finding) => finding.file && byId.has(finding.file)));
  }
  const catalog = SchemaCatalog.load();
  // A Kustomization whose build failed is reported once; what it would have created is not missing on top.
  const failed = new Set(builds.filter((b) => b.problem?.severity === 'error').map((b) => `${b.site.cluster}|${describeObject(b.site.object)}`));
  for (const finding of raw) {
    const entry = finding.file ? byId.get(finding.file) : undefined;
    if (entry && finding.code === 'ref/missing-namespace' && failed.has(`${entry.cluster}|${describeObject(entry.built.object)}`)) continue;
    const at = entry ? locateField(files, entry.built, finding.path, entry.kustomization?.at ? { ...entry.kustomization.at, patches: (entry.kustomization.object.spec as { patches?: unknown })?.patches } : undefined) : undefined;
    let adjusted: Finding = { ...finding, file: at ? `${prefix}${at.file}:${at.line}` : entry?.built.origin ? `${prefix}${entry.built.origin}` : finding.file, cluster: entry?.cluster };
    if (options.ignoreMissingSchemas && (finding.code === 'schema/unknown-kind' || finding.code === 'schema/no-schema') && entry) {
      const group = apiGroupOf(entry.built.object.apiVersion);
      if (catalog.kindsOf(group, version).length === 0) adjusted = { ...adjusted, severity: 'info', code: 'schema/missing-schema-ignored', message: `no schema for ${entry.built.object.kind} (${entry.built.object.apiVersion}); not validated (--ignore-missing-schemas)`, fix: undefined };
    }
    // Hand-written repositories do not declare which CRDs a HelmRelease or a remote source installs.
    if (finding.code === 'ref/crd-not-installed') adjusted = { ...adjusted, severity: 'warning', message: `${adjusted.message}, unless a HelmRelease or an external source there installs them` };
    // A plain Secret in Git is a leak, not something the cluster rejects; SOPS is the usual fix here.
    if (finding.code === 'secret/inline-data') adjusted = { ...adjusted, severity: 'warning', fix: 'encrypt the file with SOPS (Flux decrypts it with spec.decryption), or deliver the values with External Secrets' };
    findings.push(adjusted);
  }

  const skippedFiles: { file: string; role: FileRole; reason: string }[] = [];
  for (const file of files.values()) {
    if (file.role === 'manifest' || file.role === 'empty') continue;
    const reason = noteFor(file);
    skippedFiles.push({ file: `${prefix}${file.path}`, role: file.role, reason });
    const code = SKIP_NOTE[file.role];
    if (code && file.role !== 'kustomization') findings.push({ severity: 'info', code, file: `${prefix}${file.path}:${file.docs[0]?.line ?? 1}`, message: `skipped: ${reason}` });
    if (file.role === 'not-kubernetes') findings.push({ severity: 'info', code: 'flux-repo/not-kubernetes', file: `${prefix}${file.path}:${file.docs[0]?.line ?? 1}`, message: `skipped: ${reason}` });
  }
  return {
    findings: dedupe(findings),
    files: files.size,
    objects: judged.length,
    validatedFiles: [...new Set([...byId.values()].map((entry) => entry.built.origin).filter((file): file is string => !!file))].sort().map((file) => `${prefix}${file}`),
    skippedObjects,
    skippedFiles,
    builds: builds.map((b) => ({ kustomization: describeObject(b.site.object), cluster: b.site.cluster, path: b.dir, objects: b.objects.length, generated: b.generated, problem: b.problem?.message })),
    kustomize: kustomize?.label,
  };
}

function noteFor(file: RepoFile): string {
  switch (file.role) {
    case 'patch':
      return `${file.reason ?? 'kustomize patch'}; validated as part of the build, not as a whole object`;
    case 'not-kubernetes':
      return 'not a Kubernetes manifest (no apiVersion and kind) and no build uses it';
    default:
      return file.reason ?? file.role;
  }
}

function skipMatcher(patterns: readonly string[]): (object: KubeObject) => boolean {
  const set = new Set(patterns.flatMap((pattern) => pattern.split(',')).map((p) => p.trim()).filter(Boolean));
  return (object) => set.has(object.kind) || set.has(`${object.apiVersion}/${object.kind}`);
}

/** The same finding from several clusters (one base built for staging and production) is reported once. */
function dedupe(findings: readonly Finding[]): Finding[] {
  const out = new Map<string, Finding>();
  for (const finding of findings) {
    const key = JSON.stringify([finding.severity, finding.code, finding.file, finding.object, finding.path, finding.message]);
    const seen = out.get(key);
    if (!seen) out.set(key, finding);
    else if (finding.cluster && seen.cluster && !seen.cluster.split(', ').includes(finding.cluster)) out.set(key, { ...seen, cluster: `${seen.cluster}, ${finding.cluster}` });
  }
  return [...out.values()];
}

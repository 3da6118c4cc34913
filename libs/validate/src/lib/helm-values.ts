import Ajv, { type ValidateFunction } from 'ajv';
import Ajv2020 from 'ajv/dist/2020.js';
import { apiGroupOf, findingFor, type Finding, type RenderedObject } from '@flotilla/model';
import { HelmValuesCatalog, type HelmValuesEntry, type SchemaNode } from '@flotilla/schemas';
import { problemsFromAjv } from './ajv-errors';
import { field } from './cluster-index';

/** What a HelmRelease installs: chart name and exact version, and where they were read. */
interface ChartPin {
  readonly chart: string;
  readonly version: string;
  /** Field path of the version, for the "not vendored" finding. */
  readonly versionPath: string;
}

const EXACT_VERSION = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;
const isMap = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The chart a HelmRelease installs: `spec.chart.spec` (chart + version from a HelmRepository), or
 * `spec.chartRef` to an OCIRepository (chart = last path segment of its URL, version = `ref.tag`).
 * Charts from Git or a Bucket, version ranges and unresolvable references are not pinned.
 */
function chartPin(release: RenderedObject, ociSources: ReadonlyMap<string, RenderedObject>): ChartPin | undefined {
  const spec = release.object.spec;
  const template = field<Record<string, unknown>>(spec, 'chart', 'spec');
  if (isMap(template)) {
    const kind = field<unknown>(template, 'sourceRef', 'kind');
    const { chart, version } = template;
    if ((kind === undefined || kind === 'HelmRepository') && typeof chart === 'string' && typeof version === 'string') {
      return { chart, version: version.replace(/^v/, ''), versionPath: 'spec.chart.spec.version' };
    }
    return undefined;
  }
  const ref = field<Record<string, unknown>>(spec, 'chartRef');
  if (!isMap(ref) || ref.kind !== 'OCIRepository' || typeof ref.name !== 'string') return undefined;
  const namespace = typeof ref.namespace === 'string' ? ref.namespace : release.object.metadata?.namespace;
  const source = ociSources.get(`${release.cluster ?? ''}|${namespace}|${ref.name}`);
  const url = field<unknown>(source?.object.spec, 'url');
  const tag = field<unknown>(source?.object.spec, 'ref', 'tag');
  if (typeof url !== 'string' || typeof tag !== 'string') return undefined;
  return { chart: url.replace(/\/+$/, '').split('/').pop()!, version: tag.replace(/^v/, ''), versionPath: `spec.ref.tag of OCIRepository ${namespace}/${ref.name}` };
}

/**
 * Helm's value coalescing: the release's values over the chart's defaults, maps merged key by key,
 * anything else replaced, and a `null` deleting the default (Helm's way to unset a value).
 */
export function coalesceValues(defaults: unknown, values: unknown): unknown {
  if (!isMap(values)) return values;
  const out: Record<string, unknown> = isMap(defaults) ? { ...defaults } : {};
  for (const [key, value] of Object.entries(values)) {
    if (value === null) delete out[key];
    else out[key] = isMap(value) && isMap(out[key]) ? coalesceValues(out[key], value) : value;
  }
  return out;
}

/** Compiled once per vendored entry (per catalog), on first use. */
const validators = new WeakMap<HelmValuesEntry, ValidateFunction>();

function validatorFor(entry: HelmValuesEntry): ValidateFunction {
  let validate = validators.get(entry);
  if (!validate) {
    const { $schema, ...schema } = entry.schema as SchemaNode & { $schema?: unknown };
    // The schema's own draft decides the keywords (2020-12 for external-secrets, draft-07 for the
    // rest; "http://json-schema.org/schema#" means the latest draft-07-compatible one). `format` is
    // not asserted: Helm's validator treats it as an annotation.
    const options = { allErrors: true, verbose: true, strict: false, validateFormats: false } as const;
    const ajv = typeof $schema === 'string' && $schema.includes('2020-12') ? new Ajv2020(options) : new Ajv(options);
    validate = ajv.compile(schema);
    validators.set(entry, validate);
  }
  return validate;
}

/** OCIRepositories by `cluster|namespace|name`, built once per run (linear in objects). */
function ociRepositories(context: readonly RenderedObject[]): Map<string, RenderedObject> {
  const out = new Map<string, RenderedObject>();
  for (const entry of context) {
    if (entry.object.kind !== 'OCIRepository' || apiGroupOf(entry.object.apiVersion) !== 'source.toolkit.fluxcd.io') continue;
    out.set(`${entry.cluster ?? ''}|${entry.object.metadata?.namespace}|${entry.object.metadata?.name}`, entry);
  }
  return out;
}

/** Fixes for the schema problems whose generic message has none. */
const FALLBACK_FIX: Record<string, string> = {
  'schema/pattern': 'change the value to match the pattern',
  'schema/minimum': 'use a larger number',
  'schema/maximum': 'use a smaller number',
  'schema/minLength': 'use a longer value',
  'schema/maxLength': 'use a shorter value',
  'schema/maxItems': 'remove entries',
  'schema/minItems': 'add entries',
  'schema/const': 'use the value the chart requires here',
};

function refreshCommand(source: string, version: string): string {
  return `nx run upstream:refresh -- --family ${source} --version ${version}`;
}

/**
 * Checks every HelmRelease's `spec.values` against the values schema of the chart version it
 * installs, after merging them into the chart's defaults as `helm install` does. A chart whose
 * schema is vendored at another version only is an error: the schema must follow the pin.
 * `context` holds the cluster's other objects (OCIRepositories of `chartRef`s).
 */
export function checkHelmValues(objects: readonly RenderedObject[], context: readonly RenderedObject[] = objects, catalog = HelmValuesCatalog.load()): Finding[] {
  const findings: Finding[] = [];
  let ociSources: Map<string, RenderedObject> | undefined;
  for (const rendered of objects) {
    const { object } = rendered;
    if (object.kind !== 'HelmRelease' || apiGroupOf(object.apiVersion) !== 'helm.toolkit.fluxcd.io') continue;
    ociSources ??= ociRepositories(context);
    const pin = chartPin(rendered, ociSources);
    if (!pin || !EXACT_VERSION.test(pin.version)) continue;
    const entry = catalog.find(pin.chart, pin.version);
    if (!entry) {
      const vendored = catalog.versionsOf(pin.chart);
      if (vendored.length === 0) continue;
      const source = catalog.find(pin.chart, vendored[0]!)!.source;
      findings.push(
        findingFor(rendered, {
          severity: 'error',
          code: 'helm/values-schema-missing',
          path: pin.versionPath === 'spec.chart.spec.version' ? pin.versionPath : undefined,
          message: `chart ${pin.chart} ${pin.version} has no vendored values schema (libs/upstream has ${vendored.join(', ')}), so its values cannot be checked${pin.versionPath === 'spec.chart.spec.version' ? '' : ` (version from ${pin.versionPath})`}`,
          fix: `vendor it with ${refreshCommand(source, pin.version)} (downloads values.schema.json and values.yaml at the chart's release tag, regenerates the typed values), then npm run synth; or keep version ${vendored.join(', ')}`,
        }),
      );
      continue;
    }
    const values = field<unknown>(object.spec, 'values') ?? {};
    const merged = coalesceValues(entry.defaults, values);
    const validate = validatorFor(entry);
    if (validate(merged)) continue;
    const schemaFile = `libs/upstream/charts/${entry.chart}/${entry.version}/values.schema.json`;
    for (const problem of problemsFromAjv(validate.errors ?? [], merged)) {
      const where = problem.segments.length > 0 ? problem.segments : [];
      findings.push(
        findingFor(rendered, {
          severity: 'error',
          code: `helm/values-${problem.code.slice(problem.code.indexOf('/') + 1)}`,
          path: joinValuesPath(where),
          message: `chart ${entry.chart} ${entry.version} rejects the values: ${problem.message}`,
          fix: `${problem.fix ?? FALLBACK_FIX[problem.code] ?? 'set a value the chart accepts'} (schema: ${schemaFile}; Helm refuses to install values that fail it)`,
        }),
      );
    }
  }
  return findings;
}

function joinValuesPath(segments: readonly (string | number)[]): string {
  let out = 'spec.values';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(segment)) out += `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

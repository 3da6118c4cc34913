import type { KubeObject } from '@flotilla/model';
import { apiGroupOf } from '@flotilla/model';
import type { SchemaProblem } from './ajv-errors';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

type NameRule = 'label' | 'dns1035' | 'subdomain' | 'path-segment';

/** Which name rule the API server applies to a kind (`group/Kind`); DNS subdomain otherwise. */
const NAME_RULES: Record<string, NameRule> = {
  '/Namespace': 'label',
  '/Service': 'dns1035',
  'rbac.authorization.k8s.io/Role': 'path-segment',
  'rbac.authorization.k8s.io/ClusterRole': 'path-segment',
  'rbac.authorization.k8s.io/RoleBinding': 'path-segment',
  'rbac.authorization.k8s.io/ClusterRoleBinding': 'path-segment',
};

function nameProblem(name: string, rule: NameRule): string | undefined {
  switch (rule) {
    case 'label':
      if (name.length > 63) return 'must be at most 63 characters';
      return DNS1123_LABEL.test(name) ? undefined : 'must be a DNS label: lowercase letters, digits and "-", starting and ending with a letter or digit';
    case 'dns1035':
      if (name.length > 63) return 'must be at most 63 characters';
      return DNS1035_LABEL.test(name) ? undefined : 'must be a DNS-1035 label: lowercase letters, digits and "-", starting with a letter and ending with a letter or digit';
    case 'path-segment':
      if (name === '.' || name === '..') return 'may not be "." or ".."';
      return /[/%]/.test(name) ? 'may not contain "/" or "%"' : undefined;
    default:
      if (name.length > 253) return 'must be at most 253 characters';
      return DNS1123_SUBDOMAIN.test(name)
        ? undefined
        : 'must be a DNS subdomain: lowercase letters, digits, "-" and ".", starting and ending with a letter or digit';
  }
}

/** Suggested valid name: lowercase, invalid characters replaced by "-". */
function suggestName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '');
}

function keyProblem(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && (prefix.length === 0 || prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix))) {
    return `prefix "${prefix}" must be a DNS subdomain`;
  }
  if (name.length === 0 || name.length > 63) return 'name part must be 1 to 63 characters';
  if (!QUALIFIED_NAME.test(name)) return 'name part may contain only letters, digits, "-", "_" and ".", and must start and end with a letter or digit';
  return undefined;
}

/**
 * Checks of `metadata` the OpenAPI schema cannot express: name and namespace formats, label and
 * annotation keys, label values. Value types (strings only) are checked by the ObjectMeta schema.
 */
export function metadataProblems(object: KubeObject): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  const metadata = object.metadata;
  if (!metadata || typeof metadata !== 'object') return problems;
  const rule = NAME_RULES[`${apiGroupOf(object.apiVersion)}/${object.kind}`] ?? 'subdomain';
  if (typeof metadata.name === 'string') {
    const problem = nameProblem(metadata.name, rule);
    if (problem) {
      const suggestion = suggestName(metadata.name);
      problems.push({
        code: 'schema/name',
        segments: ['metadata', 'name'],
        message: `name "${metadata.name}" ${problem}`,
        fix: suggestion && suggestion !== metadata.name && !nameProblem(suggestion, rule) ? `use "${suggestion}"` : 'rename the object',
      });
    }
  }
  if (typeof metadata.namespace === 'string' && nameProblem(metadata.namespace, 'label')) {
    problems.push({
      code: 'schema/name',
      segments: ['metadata', 'namespace'],
      message: `namespace "${metadata.namespace}" ${nameProblem(metadata.namespace, 'label')}`,
    });
  }
  for (const field of ['labels', 'annotations'] as const) {
    const map = metadata[field];
    if (!map || typeof map !== 'object') continue;
    for (const [key, value] of Object.entries(map)) {
      const problem = keyProblem(key);
      if (problem) problems.push({ code: 'schema/label-key', segments: ['metadata', field, key], message: `key "${key}": ${problem}` });
      if (field === 'labels' && typeof value === 'string') {
        if (value.length > 63 || !LABEL_VALUE.test(value)) {
          problems.push({
            code: 'schema/label-value',
            segments: ['metadata', field, key],
            message: `label value "${value}" must be at most 63 characters of letters, digits, "-", "_" and ".", starting and ending with a letter or digit`,
            fix: 'move long or free-form values to an annotation',
          });
        }
      }
    }
  }
  return problems;
}

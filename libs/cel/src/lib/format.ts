import { Environment, EvaluationError, Optional } from '@marcbachmann/cel-js';

/** Kubernetes' `format` library (`format.dns1123Label().validate(s)`, `format.named(n)`) and `semver`. */

export class NamedFormat {
  constructor(
    readonly name: string,
    readonly check: (s: string) => string[],
  ) {}
}

function pattern(re: RegExp, max: number, what: string): (s: string) => string[] {
  return (s) => {
    const errors: string[] = [];
    if (s.length > max) errors.push(`must be no more than ${max} characters`);
    if (!re.test(s)) errors.push(what);
    return errors;
  };
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

const label = pattern(DNS1123_LABEL, 63, "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character");
const subdomain = pattern(DNS1123_SUBDOMAIN, 253, "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character");
const dns1035 = pattern(DNS1035_LABEL, 63, "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character");

function qualifiedName(s: string): string[] {
  const parts = s.split('/');
  if (parts.length > 2) return ["a qualified name must consist of alphanumeric characters, '-', '_' or '.', with an optional DNS subdomain prefix and '/'"];
  const errors = parts.length === 2 ? subdomain(parts[0]!).map((e) => `prefix part ${e}`) : [];
  const name = parts[parts.length - 1]!;
  if (name.length === 0) errors.push('name part must be non-empty');
  else errors.push(...pattern(QUALIFIED_NAME, 63, "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character")(name));
  return errors;
}

const FORMATS: Record<string, (s: string) => string[]> = {
  dns1123Label: label,
  dns1123Subdomain: subdomain,
  dns1035Label: dns1035,
  qualifiedName,
  dns1123LabelPrefix: (s) => label(s.endsWith('-') ? s.slice(0, -1) || 'a' : s),
  dns1123SubdomainPrefix: (s) => subdomain(s.endsWith('-') || s.endsWith('.') ? s.slice(0, -1) || 'a' : s),
  dns1035LabelPrefix: (s) => dns1035(s.endsWith('-') ? s.slice(0, -1) || 'a' : s),
  labelValue: pattern(LABEL_VALUE, 63, "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"),
  uri: (s) => (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(s) || s.startsWith('/') ? [] : ['invalid URI']),
  uuid: (s) => (UUID.test(s) ? [] : ['does not match the UUID format']),
  byte: (s) => (/^[A-Za-z0-9+/]*={0,2}$/.test(s) && s.length % 4 === 0 ? [] : ['invalid base64']),
  date: (s) => (DATE.test(s) && !Number.isNaN(Date.parse(s)) ? [] : ['an RFC 3339 date (YYYY-MM-DD) is required']),
  datetime: (s) => (DATETIME.test(s) && !Number.isNaN(Date.parse(s)) ? [] : ['an RFC 3339 date-time is required']),
};

class FormatNamespace {}

export class Semver {
  constructor(
    readonly major: bigint,
    readonly minor: bigint,
    readonly patch: bigint,
    readonly prerelease: string,
  ) {}

  compare(other: Semver): number {
    for (const key of ['major', 'minor', 'patch'] as const) {
      if (this[key] !== other[key]) return this[key] < other[key] ? -1 : 1;
    }
    if (this.prerelease === other.prerelease) return 0;
    if (!this.prerelease) return 1;
    if (!other.prerelease) return -1;
    const a = this.prerelease.split('.');
    const b = other.prerelease.split('.');
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      if (a[i] === undefined) return -1;
      if (b[i] === undefined) return 1;
      const na = /^\d+$/.test(a[i]!);
      const nb = /^\d+$/.test(b[i]!);
      if (na && nb && Number(a[i]) !== Number(b[i])) return Number(a[i]) < Number(b[i]) ? -1 : 1;
      if (na !== nb) return na ? -1 : 1;
      if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
    }
    return 0;
  }
}

const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

/** Strict semver 2.0; `normalize` accepts a `v` prefix and missing minor/patch, as Kubernetes does. */
export function parseSemver(text: string, normalize = false): Semver | undefined {
  let s = text;
  if (normalize) {
    s = s.replace(/^v/, '');
    const core = /^(\d+)(?:\.(\d+))?(?:\.(\d+))?(.*)$/.exec(s);
    if (core) s = `${Number(core[1])}.${Number(core[2] ?? 0)}.${Number(core[3] ?? 0)}${core[4]}`;
  }
  const match = SEMVER.exec(s);
  if (!match) return undefined;
  return new Semver(BigInt(match[1]!), BigInt(match[2]!), BigInt(match[3]!), match[4] ?? '');
}

export function registerFormatLibrary(env: Environment): void {
  env.registerType('NamedFormat', NamedFormat);
  env.registerType('FormatNamespace', FormatNamespace);
  env.registerConstant('format', 'FormatNamespace', new FormatNamespace());
  for (const [name, check] of Object.entries(FORMATS)) {
    const format = new NamedFormat(name, check);
    env.registerFunction(`FormatNamespace.${name}(): NamedFormat`, () => format);
  }
  env.registerFunction('FormatNamespace.named(string): optional<NamedFormat>', (_: unknown, name: string) => {
    const check = FORMATS[name];
    return check ? Optional.of(new NamedFormat(name, check)) : Optional.none();
  });
  env.registerFunction('NamedFormat.validate(string): optional<list<string>>', (f: NamedFormat, s: string) => {
    const errors = f.check(s);
    return errors.length ? Optional.of(errors) : Optional.none();
  });

  env.registerType('Semver', Semver);
  const semverOrFail = (s: string, normalize = false) => parseSemver(s, normalize) ?? failSemver(s);
  env.registerFunction('semver(string): Semver', (s: string) => semverOrFail(s));
  env.registerFunction('semver(string, bool): Semver', semverOrFail);
  env.registerFunction('isSemver(string): bool', (s: string) => parseSemver(s) !== undefined);
  env.registerFunction('isSemver(string, bool): bool', (s: string, n: boolean) => parseSemver(s, n) !== undefined);
  env.registerFunction('Semver.major(): int', (v: Semver) => v.major);
  env.registerFunction('Semver.minor(): int', (v: Semver) => v.minor);
  env.registerFunction('Semver.patch(): int', (v: Semver) => v.patch);
  env.registerFunction('Semver.compareTo(Semver): int', (a: Semver, b: Semver) => BigInt(a.compare(b)));
  env.registerFunction('Semver.isGreaterThan(Semver): bool', (a: Semver, b: Semver) => a.compare(b) > 0);
  env.registerFunction('Semver.isLessThan(Semver): bool', (a: Semver, b: Semver) => a.compare(b) < 0);
}

function failSemver(s: string): never {
  throw new EvaluationError(`semver parse error: ${JSON.stringify(s)} is not a valid semantic version`);
}

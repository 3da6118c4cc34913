import { RE2JS } from 're2js';

/**
 * Regular expressions for ajv `pattern`s. Kubernetes patterns are RE2 (Go) syntax: most compile as
 * JavaScript unicode regexes; the rest (`\-` escapes, `(?i)`, …) run on re2js, so no pattern is skipped.
 */
function kubernetesRegExp(pattern: string, flags: string): { test(s: string): boolean } {
  try {
    return new RegExp(pattern, flags);
  } catch {
    try {
      return new RegExp(pattern);
    } catch {
      const re2 = RE2JS.compile(pattern);
      return { test: (s: string) => re2.matcher(s).find() };
    }
  }
}
kubernetesRegExp.code = 'kubernetesRegExp';

export const regExpEngine = kubernetesRegExp;

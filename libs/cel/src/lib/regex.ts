import { Environment, EvaluationError } from '@marcbachmann/cel-js';
import { RE2JS } from 're2js';

/**
 * CEL regular expressions are RE2 (cel-go uses Go's regexp). JavaScript's RegExp differs silently
 * (`(?i)`, `\A`, `\z`, `[[:alpha:]]`, `(?P<n>…)` fail or mean something else), so every regex
 * function here goes through re2js, a port of RE2.
 */

const cache = new Map<string, RE2JS>();

/** Compiles an RE2 pattern (cached); throws a plain Error with RE2's reason when invalid. */
export function compileRe2(pattern: string): RE2JS {
  let compiled = cache.get(pattern);
  if (!compiled) {
    compiled = RE2JS.compile(pattern);
    if (cache.size > 10_000) cache.clear();
    cache.set(pattern, compiled);
  }
  return compiled;
}

/** Why `pattern` is not a valid RE2 expression, or undefined when it is. */
export function re2SyntaxError(pattern: string): string | undefined {
  try {
    compileRe2(pattern);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

function regexOrFail(pattern: string): RE2JS {
  try {
    return compileRe2(pattern);
  } catch (error) {
    throw new EvaluationError(`invalid regular expression ${JSON.stringify(pattern)}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** `matches` (renamed before parsing, see source-rewrite.ts), `find` and `findAll`. */
export function registerRegexLibrary(env: Environment): void {
  // CEL matches() is an unanchored search, like Go's regexp.MatchString.
  env.registerFunction('string.re2Matches(string): bool', (s: string, re: string) => regexOrFail(re).test(s));
  env.registerFunction('re2Matches(string, string): bool', (s: string, re: string) => regexOrFail(re).test(s));
  env.registerFunction('string.find(string): string', (s: string, re: string) => {
    const matcher = regexOrFail(re).matcher(s);
    return matcher.find() ? (matcher.group() ?? '') : '';
  });
  const findAll = (s: string, re: string, limit: bigint): string[] => {
    const out: string[] = [];
    if (limit === 0n) return out;
    const matcher = regexOrFail(re).matcher(s);
    while (matcher.find()) {
      out.push(matcher.group() ?? '');
      if (limit > 0n && BigInt(out.length) >= limit) break;
    }
    return out;
  };
  env.registerFunction('string.findAll(string): list<string>', (s: string, re: string) => findAll(s, re, -1n));
  env.registerFunction('string.findAll(string, int): list<string>', findAll);
}

import { RE2JS } from 're2js';

const cache = new Map<string, RE2JS>();

/** Go regexps (RE2) for gator's `assertions[].message` and `--run`, compiled once. */
export function compileRe2(pattern: string): RE2JS {
  let re = cache.get(pattern);
  if (!re) {
    try {
      re = RE2JS.compile(pattern);
    } catch (error) {
      throw new Error(`invalid regular expression ${JSON.stringify(pattern)} (RE2 syntax): ${(error as Error).message}`);
    }
    cache.set(pattern, re);
  }
  return re;
}

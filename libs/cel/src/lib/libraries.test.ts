import { describe, expect, it } from 'vitest';
import { evaluateGatekeeper } from '../testing';


describe('Kubernetes CEL libraries', () => {
  it.each([
    // RE2 regex semantics (JavaScript RegExp would fail or silently differ)
    ['"ABC".matches("(?i)abc")', true],
    ['"abc".matches("^(?P<x>a)bc$")', true],
    ['"abc".matches("\\\\Aabc\\\\z")', true],
    ['"abc".matches("[[:alpha:]]+")', true],
    ['"abc1".matches("^[[:alpha:]]+$")', false],
    ['matches("abc", "b")', true],
    ['"abc 123 def".find("[0-9]+")', '123'],
    ['"abc".find("[0-9]+")', ''],
    ['"a1b22c333".findAll("[0-9]+")', ['1', '22', '333']],
    ['"a1b22c333".findAll("[0-9]+", 2)', ['1', '22']],
    // strings extension v2
    ['"a*b*".replace("*", "")', 'ab'],
    ['"aaa".replace("a", "b", 2)', 'bba'],
    ['"héllo".charAt(1)', 'é'],
    ['"%s has %d items, %.2f%%".format(["x", dyn(3), dyn(12.345)])', 'x has 3 items, 12.35%'],
    ['strings.quote("a\\"b")', '"a\\"b"'],
    ['"Hello".lowerAscii()', 'hello'],
    // code-point indexes and ASCII-only case mapping, as cel-go (cel-js uses UTF-16 and Unicode)
    ['"😀é".indexOf("é")', 1n],
    ['"😀éa".indexOf("a", 1)', 2n],
    ['"😀éa".lastIndexOf("a")', 2n],
    ['"abc".lastIndexOf("")', 3n],
    ['"😀é".substring(1)', 'é'],
    ['"😀éa".substring(0, 2)', '😀é'],
    ['"a😀b".split("")', ['a', '😀', 'b']],
    ['"a,b,c".split(",", 2)', ['a', 'b,c']],
    ['"ÉA".lowerAscii()', 'Éa'],
    ['"éa".upperAscii()', 'éA'],
    // Kubernetes lists and cel-go lists v3
    ['[1, 2, 3].isSorted() && ![2, 1].isSorted()', true],
    ['[1, 2, 3].sum()', 6n],
    ['[1.5, 2.5].sum()', 4],
    ['[3, 1, 2].min()', 1n],
    ['["b", "a"].max()', 'b'],
    ['[1, 2, 1].indexOf(1)', 0n],
    ['[1, 2, 1].lastIndexOf(1)', 2n],
    ['[1, 2, 3, 4].slice(1, 3)', [2n, 3n]],
    ['[[1], [2, [3]]].flatten()', [1n, 2n, [3n]]],
    ['[1, 2, 1].distinct()', [1n, 2n]],
    ['[1, 2, 3].reverse()', [3n, 2n, 1n]],
    ['[3, 1, 2].sort()', [1n, 2n, 3n]],
    ['["bb", "a", "ccc"].sortBy(s, -size(s))', ['ccc', 'bb', 'a']],
    ['lists.range(3)', [0n, 1n, 2n]],
    // sets
    ['sets.contains([1, 2, 3], [3, 1])', true],
    ['sets.equivalent([1, 2], [2, 1, 1])', true],
    ['sets.intersects([1, 2], [3])', false],
    // two-variable comprehensions
    ['[10, 20].all(i, v, v == (i + 1) * 10)', true],
    ['{"a": 1, "b": 2}.exists(k, v, k == "b" && v == 2)', true],
    ['[1, 2, 3].existsOne(i, v, v > 2)', true],
    ['[1, 2, 3].transformList(i, v, v > 1, i)', [1n, 2n]],
    ['[1, 2, 3].transformList(i, v, v * 10)', [10n, 20n, 30n]],
    ['{"a": 1, "b": 2}.transformMap(k, v, v * 2)', new Map([['a', 2n], ['b', 4n]])],
    ['{"a": 1, "b": 2}.transformMap(k, v, k != "a", v)', new Map([['b', 2n]])],
    ['{"a": 1}.transformMapEntry(k, v, {k + "x": v + 1})', new Map([['ax', 2n]])],
    ['[1, 2, 3].existsOne(i, v, v > 1)', false],
    ['{"a": "x"}.all(k, v, k == "a" && v == "x")', true],
    // quantity
    ['quantity("1Gi").isGreaterThan(quantity("1000Mi"))', true],
    ['quantity("500m").compareTo(quantity("0.5"))', 0n],
    ['quantity("1.5").add(quantity("500m")).asInteger()', 2n],
    ['quantity("2k").sub(1000).asInteger()', 1000n],
    ['quantity("1e3").asApproximateFloat()', 1000],
    ['isQuantity("1Gi") && !isQuantity("1 Gi")', true],
    ['quantity("-3").sign()', -1n],
    ['quantity("1.5").isInteger()', false],
    // URL
    ['url("https://example.com:8443/a%20b?x=1&x=2").getHost()', 'example.com:8443'],
    ['url("https://[::1]:80/").getHostname()', '::1'],
    ['url("https://example.com/a%20b").getEscapedPath()', '/a%20b'],
    ['url("https://example.com/?x=1&x=2").getQuery()["x"]', ['1', '2']],
    ['isURL("/absolute/path") && !isURL("relative/path")', true],
    ['url("https://example.com/x").getScheme()', 'https'],
    ['url("https://user@example.com/x").getHostname()', 'example.com'],
    ['url("https://example.com/x").getPort()', ''],
    // IP and CIDR
    ['ip("192.168.0.1").family()', 4n],
    ['ip("::").isUnspecified() && ip("169.254.1.1").isLinkLocalUnicast() && ip("224.0.0.1").isLinkLocalMulticast()', true],
    ['ip("8.8.8.8").isGlobalUnicast() && !ip("127.0.0.1").isGlobalUnicast()', true],
    ['string(cidr("2001:db8::/32").ip())', '2001:db8::'],
    ['ip("::1").isLoopback() && ip("127.0.0.1").isLoopback()', true],
    ['isIP("1.2.3.4") && !isIP("1.2.3.04") && !isIP("fe80::1%eth0")', true],
    ['ip.isCanonical("2001:db8::1") && !ip.isCanonical("2001:DB8::1")', true],
    ['string(ip("2001:db8:0:0:0:0:0:1"))', '2001:db8::1'],
    ['cidr("10.0.0.0/8").containsIP("10.1.2.3") && !cidr("10.0.0.0/8").containsIP(ip("11.0.0.1"))', true],
    ['cidr("10.0.0.0/8").containsCIDR("10.1.0.0/16")', true],
    ['string(cidr("10.1.2.3/8").masked())', '10.0.0.0/8'],
    ['cidr("10.0.0.0/8").prefixLength()', 8n],
    // format
    ['format.dns1123Label().validate("ok-name").hasValue()', false],
    ['format.dns1123Label().validate("Bad_Name").hasValue()', true],
    ['format.named("uuid").value().validate("not-a-uuid").hasValue()', true],
    ['format.named("nope").hasValue()', false],
    // semver
    ['semver("1.2.3").isLessThan(semver("1.10.0"))', true],
    ['semver("1.2.3-rc.1").compareTo(semver("1.2.3"))', -1n],
    ['isSemver("v1.2", true) && !isSemver("v1.2")', true],
    ['semver("2.5.1").minor()', 5n],
  ])('%s', (expression, expected) => {
    expect(evaluateGatekeeper(expression)).toEqual(expected);
  });

  it('fails at evaluation for invalid dynamic regexes, quantities, IPs and URLs', () => {
    expect(() => evaluateGatekeeper('"a".matches(object.re)', { re: '(?<=a)' })).toThrow(/invalid regular expression/);
    expect(() => evaluateGatekeeper('quantity(object.q).sign() == 1', { q: 'lots' })).toThrow(/quantities must match/);
    expect(() => evaluateGatekeeper('ip(object.ip).family() == 4', { ip: '1.2.3' })).toThrow(/not a valid IP address/);
    expect(() => evaluateGatekeeper('url(object.u).getHost() == ""', { u: 'no scheme' })).toThrow(/not a valid URL/);
    expect(() => evaluateGatekeeper('[].min() == 0')).toThrow(/empty list/);
    expect(() => evaluateGatekeeper('"abc".substring(4) == ""')).toThrow(/substring: index out of range: 4/);
    expect(() => evaluateGatekeeper('"abc".indexOf("a", -1) == 0')).toThrow(/indexOf: index out of range/);
  });

  it('absorbs errors in all() and exists() when another element decides the result', () => {
    expect(evaluateGatekeeper('object.items.exists(i, v, v.ok)', { items: [{}, { ok: true }] })).toBe(true);
    expect(() => evaluateGatekeeper('object.items.all(i, v, v.ok)', { items: [{}, { ok: true }] })).toThrow(/No such key/);
  });
});

import type { Construct } from 'constructs';
import { CHART_PINS_CONTEXT, type ChartPinsContext, type ParsedChartPin, parseChartPin } from '@flotilla/config';

/**
 * The version (and digest) the stage pins for `name` in the unit being rendered: its entry in the
 * fleet's chart releases (`releases.ts`, `defineChartReleases`, unit → name → pin), which renderUnit
 * hands the unit. Outside a fleet with chart pins (a unit test, a fleet without releases) it is the
 * catalog version. A fleet that pins charts but not this one fails, naming the line to add.
 *
 * @param name the Helm release name (`HelmAddon`) or the Crossplane package's object name
 * @param catalogVersion the version the catalog (`VERSIONS`, `CROSSPLANE_PACKAGES`) records
 */
export function stagePin(scope: Construct, name: string, catalogVersion: string, what: string): ParsedChartPin {
  const context = scope.node.tryGetContext(CHART_PINS_CONTEXT) as ChartPinsContext | undefined;
  if (!context) return { version: catalogVersion };
  const pin = context.pins?.[name];
  if (pin === undefined) {
    throw new Error(
      `${what} '${name}' has no pin on stage '${context.stage}'; add '${context.unit}': { '${name}': '${catalogVersion}' } to every stage of the fleet's chart releases (releases.ts, defineChartReleases)`,
    );
  }
  return parseChartPin(pin);
}

/** A Crossplane package (`Provider`, `Function`, `Configuration`) reference at the stage's pin: `<package>:<version>[@sha256:…]`. */
export function crossplanePackage(scope: Construct, name: string, pkg: { readonly package: string; readonly version: string }): string {
  const pin = stagePin(scope, name, pkg.version, 'Crossplane package');
  return `${pkg.package}:${pin.version}${pin.digest ? `@${pin.digest}` : ''}`;
}

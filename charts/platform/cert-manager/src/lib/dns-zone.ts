/** A public Route 53 hosted zone whose names get certificates. */
export interface DnsZone {
  /** The zone's domain, e.g. `example.com`; certificates for it and its subdomains are validated in it. */
  readonly zone: string;
  /** Its Route 53 id, e.g. `Z0123456789ABCDEFGHIJ`. */
  readonly hostedZoneId: string;
}

const ZONE = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)+[a-z]{2,}$/;
const HOSTED_ZONE_ID = /^Z[A-Z0-9]{1,31}$/;

/** Throws unless every zone is a DNS name with a Route 53 hosted zone id, each listed once. */
export function validateDnsZones(where: string, zones: readonly DnsZone[]): void {
  if (zones.length === 0) throw new Error(`${where} dnsZones is empty; list the Route 53 hosted zones certificates are issued in, e.g. [{ zone: 'example.com', hostedZoneId: 'Z0123456789ABCDEFGHIJ' }]`);
  const seen = new Set<string>();
  zones.forEach((zone, i) => {
    if (!ZONE.test(zone.zone)) throw new Error(`${where} dnsZones[${i}].zone '${zone.zone}' is not a DNS name such as 'example.com'`);
    if (!HOSTED_ZONE_ID.test(zone.hostedZoneId)) throw new Error(`${where} dnsZones[${i}].hostedZoneId '${zone.hostedZoneId}' is not a Route 53 hosted zone id such as 'Z0123456789ABCDEFGHIJ'`);
    if (seen.has(zone.zone)) throw new Error(`${where} dnsZones lists '${zone.zone}' twice`);
    seen.add(zone.zone);
  });
}

// The I/O half of `nx run instance-types:refresh`: pages through DescribeInstanceTypes and maps
// each item with ec2-mapping.ts. Not re-exported from src/index.ts so that synth does not load
// the AWS SDK at runtime.
import { type EC2Client, type Filter, paginateDescribeInstanceTypes } from '@aws-sdk/client-ec2';
import type { Catalog, InstanceTypeInfo } from './catalog';
import { toCatalogEntry, unsupportedReason } from './ec2-mapping';

export interface FetchCatalogOptions {
  /** AWS region the catalog describes (instance types differ per region). */
  readonly region: string;
  /**
   * Keep only current-generation instance types.
   *
   * @default false (Karpenter also launches previous-generation types such as t2 and m4)
   */
  readonly currentGenerationOnly?: boolean;
  /**
   * Page size of each DescribeInstanceTypes call.
   *
   * @default 100 (the API maximum)
   */
  readonly pageSize?: number;
}

export interface FetchCatalogResult {
  readonly catalog: Catalog;
  /** Types the API returned that Karpenter cannot launch, with the reason, sorted by name. */
  readonly skipped: readonly { readonly name: string; readonly reason: string }[];
}

/** Server-side filters: what Karpenter can launch (HVM, amd64/arm64, on-demand or spot). */
export function describeFilters(options: Pick<FetchCatalogOptions, 'currentGenerationOnly'>): Filter[] {
  const filters: Filter[] = [
    { Name: 'supported-virtualization-type', Values: ['hvm'] },
    { Name: 'processor-info.supported-architecture', Values: ['x86_64', 'arm64'] },
    { Name: 'supported-usage-class', Values: ['on-demand', 'spot'] },
  ];
  if (options.currentGenerationOnly) filters.push({ Name: 'current-generation', Values: ['true'] });
  return filters;
}

/** Reads every instance type of the client's region and maps it to a catalog, sorted by name. */
export async function fetchCatalog(client: EC2Client, options: FetchCatalogOptions): Promise<FetchCatalogResult> {
  const filters = describeFilters(options);
  const byName = new Map<string, InstanceTypeInfo>();
  const skipped: { name: string; reason: string }[] = [];
  const pages = paginateDescribeInstanceTypes({ client, pageSize: options.pageSize ?? 100 }, { Filters: filters });
  for await (const page of pages) {
    for (const info of page.InstanceTypes ?? []) {
      const reason = unsupportedReason(info);
      if (reason) skipped.push({ name: info.InstanceType ?? '(unnamed)', reason });
      else byName.set(info.InstanceType!, toCatalogEntry(info));
    }
  }
  const instanceTypes = [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  skipped.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return {
    catalog: {
      source: {
        api: 'ec2:DescribeInstanceTypes',
        filters: filters.map((f) => `${f.Name}=${(f.Values ?? []).join(',')}`),
        generatedBy: 'nx run instance-types:refresh',
        note: 'Karpenter well-known labels and allocatable resources (AL2023, no block device mappings) derived from the EC2 API as karpenter-provider-aws v1.14 does; vpc.amazonaws.com/pod-eni is not derivable from the API and is omitted',
        region: options.region,
      },
      instanceTypes,
    },
    skipped,
  };
}

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { KubeObject, RenderedObject } from '@flotilla/model';
import { GENERATED_MARKER } from './header';
import { readEmittedYaml } from './yaml-reader';

/**
 * What a check needs to know about the part of a cluster a scoped synth did not render. Cluster-scoped
 * objects always come along (Namespaces, CRDs, constraints, ClusterRoles, NodePools …: few, and
 * referred to from everywhere).
 */
export interface ContextQuery {
  /** Namespaced objects of these namespaces. */
  readonly namespaces: ReadonlySet<string>;
  /** Kinds (`kind`, whatever the group) wanted from every namespace. */
  readonly kinds: ReadonlySet<string>;
}

/** An owned file's identity, read from its name (`<Kind>[.<group>]_[<namespace>_]<name>.yaml`, see fileNameFor). */
interface IndexEntry {
  readonly file: string;
  readonly kind?: string;
  /** Undefined for cluster-scoped objects (and for names that do not follow the pattern: always read). */
  readonly namespace?: string;
}

/**
 * The committed objects of unit folders a scoped synth did not render, read on demand. The folder
 * listings are the index: file names already say kind and namespace, so a query reads and parses
 * only the files it selects (each at most once), instead of every file of the cluster.
 */
export class CommittedObjects {
  private index?: IndexEntry[];
  private readonly parsed = new Map<string, RenderedObject[]>();

  constructor(
    private readonly repoRoot: string,
    private readonly folders: readonly string[],
    private readonly cluster: string,
  ) {}

  /** Every committed object of the folders. */
  all(): RenderedObject[] {
    return this.entries().flatMap((entry) => this.read(entry.file));
  }

  /** The cluster-scoped objects, the objects of the query's namespaces and those of its kinds. */
  select(query: ContextQuery): RenderedObject[] {
    return this.entries()
      .filter((entry) => entry.namespace === undefined || query.namespaces.has(entry.namespace) || (entry.kind !== undefined && query.kinds.has(entry.kind)))
      .flatMap((entry) => this.read(entry.file));
  }

  private entries(): IndexEntry[] {
    if (this.index) return this.index;
    const entries: IndexEntry[] = [];
    const visit = (relative: string) => {
      let listing;
      try {
        listing = readdirSync(join(this.repoRoot, relative), { withFileTypes: true });
      } catch {
        return; // a unit folder not rendered yet
      }
      for (const entry of listing) {
        const child = `${relative}/${entry.name}`;
        if (entry.isDirectory()) visit(child);
        else if (entry.isFile() && entry.name !== 'kustomization.yaml') entries.push(identity(child, entry.name));
      }
    };
    for (const folder of new Set(this.folders)) visit(folder);
    return (this.index = entries.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0)));
  }

  /** The objects of one owned file; a file without synth's header is not synth's and is skipped. */
  private read(file: string): RenderedObject[] {
    let objects = this.parsed.get(file);
    if (objects) return objects;
    objects = [];
    const text = readFileSync(join(this.repoRoot, file), 'utf8');
    if (text.startsWith(GENERATED_MARKER)) {
      const documents = readEmittedYaml(text) ?? parseAllDocuments(text).map((document) => document.toJS() as unknown);
      documents.forEach((object, index) => {
        if (object && typeof object === 'object') objects!.push({ file, index, object: object as KubeObject, cluster: this.cluster });
      });
    }
    this.parsed.set(file, objects);
    return objects;
  }
}

function identity(file: string, name: string): IndexEntry {
  if (!name.endsWith('.yaml')) return { file };
  const parts = name.slice(0, -'.yaml'.length).split('_');
  const kind = parts[0]!.split('.')[0];
  if (parts.length === 3) return { file, kind, namespace: parts[1] };
  // Cluster-scoped (two parts), or a name synth does not write: always part of the context.
  return parts.length === 2 ? { file, kind } : { file };
}

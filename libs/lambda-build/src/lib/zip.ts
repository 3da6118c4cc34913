import { inflateRawSync } from 'node:zlib';
import { ZipFile } from 'yazl';

export interface ZipEntry {
  readonly name: string;
  readonly data: Uint8Array;
}

/**
 * Fixed entry time: 1980-01-01 00:00 in *local* time, because yazl encodes DOS timestamps with local-time getters.
 * With `forceDosTimestamp` (no UTC "UT" extra field) the bytes are then the same in every timezone.
 */
const FIXED_MTIME = new Date(1980, 0, 1, 0, 0, 0);

/** A byte-reproducible zip: entries sorted by name, fixed mtime and mode, maximum deflate level. */
export function createZip(entries: readonly ZipEntry[]): Promise<Buffer> {
  const zip = new ZipFile();
  for (const entry of [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    zip.addBuffer(Buffer.from(entry.data), entry.name, { mtime: FIXED_MTIME, mode: 0o100644, compress: true, compressionLevel: 9, forceDosTimestamp: true });
  }
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    zip.outputStream.on('error', reject);
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
  });
}

/**
 * Reads a zip through its central directory (stored and deflated entries, no zip64). Enough to unpack what
 * {@link createZip} wrote and prove the archive is complete.
 */
export function readZip(buffer: Buffer): ZipEntry[] {
  const eocd = buffer.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error('readZip: no end-of-central-directory record; not a zip file');
  const count = buffer.readUInt16LE(eocd + 10);
  let offset = buffer.readUInt32LE(eocd + 16);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (buffer.readUInt32LE(offset) !== 0x02014b50) throw new Error(`readZip: bad central directory header at ${offset}`);
    const method = buffer.readUInt16LE(offset + 10);
    const compressedSize = buffer.readUInt32LE(offset + 20);
    const nameLength = buffer.readUInt16LE(offset + 28);
    const extraLength = buffer.readUInt16LE(offset + 30);
    const commentLength = buffer.readUInt16LE(offset + 32);
    const localOffset = buffer.readUInt32LE(offset + 42);
    const name = buffer.subarray(offset + 46, offset + 46 + nameLength).toString('utf8');
    const localNameLength = buffer.readUInt16LE(localOffset + 26);
    const localExtraLength = buffer.readUInt16LE(localOffset + 28);
    const start = localOffset + 30 + localNameLength + localExtraLength;
    const raw = buffer.subarray(start, start + compressedSize);
    if (method !== 0 && method !== 8) throw new Error(`readZip: entry ${name} uses unsupported compression method ${method}`);
    entries.push({ name, data: method === 8 ? inflateRawSync(raw) : raw });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

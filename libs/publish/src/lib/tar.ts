/** One file of an archive; `path` uses '/' and is relative to the archive root. */
export interface TarEntry {
  readonly path: string;
  readonly content: Buffer;
}

const BLOCK = 512;

/**
 * A reproducible POSIX tar of `entries`: parent directories are added, everything is sorted by
 * path (byte order), and every header has mtime 0, uid/gid 0, empty uname/gname and mode 0644
 * (files) or 0755 (directories), so the same tree always gives the same bytes. Paths longer than
 * the ustar fields get a PAX `path` record, like Go's archive/tar (which `flux push artifact` uses).
 */
export function reproducibleTar(entries: readonly TarEntry[]): Buffer {
  const files = new Map<string, Buffer>();
  const directories = new Set<string>();
  for (const entry of entries) {
    if (entry.path.startsWith('/') || entry.path.split('/').some((part) => part === '' || part === '.' || part === '..')) {
      throw new Error(`tar entry "${entry.path}" is not a clean relative path`);
    }
    if (files.has(entry.path)) throw new Error(`tar entry "${entry.path}" is listed twice`);
    files.set(entry.path, entry.content);
    const parts = entry.path.split('/');
    for (let i = 1; i < parts.length; i++) directories.add(`${parts.slice(0, i).join('/')}/`);
  }
  const names = [...directories, ...files.keys()].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const chunks: Buffer[] = [];
  for (const name of names) {
    const content = files.get(name);
    const isDirectory = content === undefined;
    chunks.push(...header(name, isDirectory ? 0 : content.length, isDirectory));
    if (!isDirectory) {
      chunks.push(content);
      const padding = (BLOCK - (content.length % BLOCK)) % BLOCK;
      if (padding > 0) chunks.push(Buffer.alloc(padding));
    }
  }
  chunks.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(chunks);
}

/** The header block(s) of one entry: a PAX record first when the path does not fit ustar. */
function header(name: string, size: number, isDirectory: boolean): Buffer[] {
  const split = splitUstarName(name);
  if (split) return [ustarHeader(split.name, split.prefix, size, isDirectory ? '5' : '0', isDirectory ? 0o755 : 0o644)];
  const record = paxRecord('path', name);
  const pax = ustarHeader('PaxHeaders/entry', '', record.length, 'x', 0o644);
  const padding = Buffer.alloc((BLOCK - (record.length % BLOCK)) % BLOCK);
  // The ustar name is a truncated fallback for readers without PAX support.
  const fallback = Buffer.from(name).subarray(0, 100).toString('latin1');
  return [pax, record, padding, ustarHeader(fallback, '', size, isDirectory ? '5' : '0', isDirectory ? 0o755 : 0o644)];
}

function splitUstarName(name: string): { name: string; prefix: string } | undefined {
  if (!/^[\x20-\x7e]*$/.test(name)) return undefined;
  if (name.length <= 100) return { name, prefix: '' };
  // Split at a '/' so that the prefix fits 155 bytes and the rest 100 (trailing '/' of a directory stays in the name).
  for (let i = name.length - 1; i > 0; i--) {
    if (name[i] !== '/' || i === name.length - 1) continue;
    const prefix = name.slice(0, i);
    const rest = name.slice(i + 1);
    if (prefix.length <= 155 && rest.length <= 100 && rest.length > 0) return { name: rest, prefix };
  }
  return undefined;
}

/** `"<length> <key>=<value>\n"`, where the length counts the whole record including its own digits. */
function paxRecord(key: string, value: string): Buffer {
  const body = ` ${key}=${value}\n`;
  const bodyLength = Buffer.byteLength(body);
  let digits = String(bodyLength).length;
  while (String(bodyLength + digits).length !== digits) digits++;
  return Buffer.from(`${bodyLength + digits}${body}`);
}

function ustarHeader(name: string, prefix: string, size: number, type: string, mode: number): Buffer {
  const block = Buffer.alloc(BLOCK);
  block.write(name, 0, 100, 'latin1');
  octal(block, 100, 8, mode);
  octal(block, 108, 8, 0);
  octal(block, 116, 8, 0);
  octal(block, 124, 12, size);
  octal(block, 136, 12, 0);
  block.fill(0x20, 148, 156);
  block.write(type, 156, 1, 'latin1');
  block.write('ustar\u000000', 257, 8, 'latin1');
  octal(block, 329, 8, 0);
  octal(block, 337, 8, 0);
  block.write(prefix, 345, 155, 'latin1');
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 8, 'latin1');
  return block;
}

function octal(block: Buffer, offset: number, length: number, value: number): void {
  if (value >= 8 ** (length - 1)) throw new Error(`tar: ${value} does not fit a ${length}-byte field (files must be under 8 GiB)`);
  block.write(`${value.toString(8).padStart(length - 1, '0')}\u0000`, offset, length, 'latin1');
}

/**
 * A static file server on 127.0.0.1 (a random free port) for a folder laid out like GitHub's raw and
 * API hosts: `<owner>/<repo>/<ref>/<path>` and `repos/<owner>/<repo>/commits/<ref>` (a file holding
 * the sha). The refresh tests point `--base-url` at it; nothing else is reachable from them.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize, sep } from 'node:path';

export interface DirectoryServer {
  readonly url: string;
  /** Paths requested so far, in order. */
  readonly requests: readonly string[];
  close(): Promise<void>;
}

export async function serveDirectory(root: string): Promise<DirectoryServer> {
  const requests: string[] = [];
  const server: Server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://127.0.0.1').pathname);
    requests.push(path);
    const file = normalize(join(root, path));
    if (!file.startsWith(root + sep)) {
      response.writeHead(400).end('bad path');
      return;
    }
    readFile(file).then(
      (body) => response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(body),
      () => response.writeHead(404, { 'content-type': 'text/plain' }).end('404: Not Found'),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

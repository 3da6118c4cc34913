import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/** A CNCF distribution registry (Debian's docker-registry) on 127.0.0.1, for tests. */
export interface LocalRegistry {
  /** `127.0.0.1:<port>` */
  readonly host: string;
  /** Where the registry stores blobs and manifests. */
  readonly storage: string;
  /** Lines of the registry's access log so far (one per HTTP request). */
  accessLog(): string[];
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Starts `docker-registry serve` with its own config (random free port on 127.0.0.1, a temporary
 * storage folder), waits until `/v2/` answers, and returns a handle whose `stop` kills exactly
 * that process and removes the folder. A system-wide registry service, if the package started
 * one, is not used: the test talks only to this port.
 */
export async function startLocalRegistry(options: { htpasswd?: string } = {}): Promise<LocalRegistry> {
  const dir = mkdtempSync(path.join(tmpdir(), 'flotilla-registry-'));
  const storage = path.join(dir, 'storage');
  const port = await freePort();
  const config = path.join(dir, 'config.yml');
  const auth: string[] = [];
  if (options.htpasswd) {
    // Basic auth (bcrypt htpasswd lines); the registry then answers 401 with a Basic challenge.
    writeFileSync(path.join(dir, 'htpasswd'), `${options.htpasswd}\n`);
    auth.push('auth:', '  htpasswd:', '    realm: flotilla-test', `    path: ${path.join(dir, 'htpasswd')}`);
  }
  writeFileSync(
    config,
    [
      'version: 0.1',
      'log:',
      '  level: error',
      '  formatter: text',
      'storage:',
      '  filesystem:',
      `    rootdirectory: ${storage}`,
      'http:',
      `  addr: 127.0.0.1:${port}`,
      ...auth,
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn('docker-registry', ['serve', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  const log: string[] = [];
  let exited: string | undefined;
  const collect = (chunk: Buffer) => log.push(...chunk.toString('utf8').split('\n').filter((line) => line.trim() !== ''));
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  child.once('exit', (code, signal) => (exited = `exited with ${code ?? signal}`));
  child.once('error', (error) => (exited = error.message));
  const host = `127.0.0.1:${port}`;
  const stop = async () => {
    if (exited === undefined) {
      const done = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await done;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  for (let attempt = 0; ; attempt++) {
    if (exited !== undefined) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`docker-registry ${exited} before answering: ${log.join('\n')} (install it with: apt-get install docker-registry)`);
    }
    try {
      const response = await fetch(`http://${host}/v2/`);
      if (response.status === 200 || (options.htpasswd && response.status === 401)) break;
    } catch {
      // not listening yet
    }
    if (attempt > 200) {
      await stop();
      throw new Error(`docker-registry did not answer on ${host} within 10 s: ${log.join('\n')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { host, storage, accessLog: () => [...log], stop };
}

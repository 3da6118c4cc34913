/** Plain words for the errno codes a write can meet, so a message says why without a lookup. */
const CAUSES: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted (immutable file or missing permission)',
  EROFS: 'the file system is read-only',
  EISDIR: 'a folder stands where a file must be',
  ENOTDIR: 'a file stands where a folder must be',
  ENOTEMPTY: 'the folder is not empty',
  EEXIST: 'something already exists at that path',
  ELOOP: 'the path is a symbolic link, which synth never follows',
  ENOENT: 'no such file or folder',
  EMFILE: 'too many open files',
  EIO: 'input/output error from the device',
};

/** One failed file operation: what, where, and the operating system's own reason. */
export interface IoFailure {
  /** Repo-relative path. */
  readonly file: string;
  /** e.g. 'write', 'remove', 'create folder', 'restore'. */
  readonly operation: string;
  readonly cause: unknown;
}

/** `write clusters/dev/x.yaml: ENOSPC (no space left on the device)`. */
export function describeIoFailure(failure: IoFailure): string {
  return `${failure.operation} ${failure.file}: ${describeCause(failure.cause)}`;
}

export function describeCause(cause: unknown): string {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  if (code) return `${code} (${CAUSES[code] ?? (cause as Error).message})`;
  return cause instanceof Error ? cause.message : String(cause);
}

/** Runs `action`; on an error, rethrows it with the file and operation attached. */
export function attempt<T>(file: string, operation: string, action: () => T): T {
  try {
    return action();
  } catch (cause) {
    throw new IoFailureError({ file, operation, cause });
  }
}

export class IoFailureError extends Error {
  constructor(readonly failure: IoFailure) {
    super(describeIoFailure(failure));
    this.name = 'IoFailureError';
  }
}

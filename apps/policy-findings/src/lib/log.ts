/** One structured log line; serialised as a single JSON object per line. */
export interface LogEntry {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly message: string;
  readonly [field: string]: unknown;
}

/** Where log lines go. The default writes one JSON object per line to stdout (CloudWatch keeps each line). */
export type LogSink = (entry: LogEntry) => void;

export const stdoutSink: LogSink = (entry) => {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), ...entry })}\n`);
};

/** A logger that adds fixed fields (request id, cluster) to every line. */
export interface Logger {
  readonly info: (message: string, fields?: Record<string, unknown>) => void;
  readonly warn: (message: string, fields?: Record<string, unknown>) => void;
  readonly error: (message: string, fields?: Record<string, unknown>) => void;
  readonly with: (fields: Record<string, unknown>) => Logger;
}

export function createLogger(sink: LogSink, base: Record<string, unknown> = {}): Logger {
  const emit = (level: LogEntry['level']) => (message: string, fields: Record<string, unknown> = {}) =>
    sink({ level, message, ...base, ...fields });
  return {
    info: emit('info'),
    warn: emit('warn'),
    error: emit('error'),
    with: (fields) => createLogger(sink, { ...base, ...fields }),
  };
}

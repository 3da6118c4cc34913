/** `path/file.yaml:12:3` → file, line and column; findings without a line keep only the file. */
export function splitLocation(file: string): { uri: string; line?: number; column?: number } {
  const match = /^(.*?):(\d+)(?::(\d+))?$/.exec(file);
  if (!match) return { uri: file };
  return { uri: match[1]!, line: Number(match[2]), column: match[3] ? Number(match[3]) : undefined };
}

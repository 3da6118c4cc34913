/** An expression that the Kubernetes API server or Gatekeeper would refuse to compile. */
export class CelCompileError extends Error {
  constructor(
    readonly expression: string,
    readonly reason: string,
  ) {
    super(`cel expression does not compile: ${reason}: ${expression}`);
    this.name = 'CelCompileError';
  }
}

/** An expression that compiled but failed while evaluating (missing key, bad conversion, …). */
export class CelEvaluationError extends Error {
  constructor(
    readonly expression: string,
    readonly reason: string,
  ) {
    super(`cel expression failed to evaluate: ${reason}: ${expression}`);
    this.name = 'CelEvaluationError';
  }
}

/** The first line of a cel-js error (its later lines draw a caret under the source). */
export function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0]!.trim();
}

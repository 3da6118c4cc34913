/** A publish failure with the cluster it concerns; the CLI prints the message without a stack trace. */
export class PublishError extends Error {
  constructor(readonly cluster: string | undefined, message: string) {
    super(cluster ? `cluster ${cluster}: ${message}` : message);
    this.name = 'PublishError';
  }
}

// What the construct tests share: the tenant they render for and an RDS-managed secret.
export * from './fixtures';

// What the CLI's tests share: captured command IO, the committed dev render, and a fleet repository with history
// (its synth entry, fleet-repo-synth.ts, is bundled by fleet-repo.ts, not exported).
export * from './capture-io';
export * from './dev-cluster';
export * from './fleet-repo';
export * from './fleet-spec';

// What the CLI's tests share: captured command IO, the committed dev render, and a rendered repository with history.
export * from './capture-io';
export * from './dev-cluster';
export * from './rendered-repo';

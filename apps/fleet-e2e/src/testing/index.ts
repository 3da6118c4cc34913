// What the end-to-end tests share: a sandbox copy of the workspace, command runs, and Nx's project graph.
export * from './project-graph';
export * from './workspace-copy';
export * from './workflow-lines';

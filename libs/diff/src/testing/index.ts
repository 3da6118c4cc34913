// What the diff tests share: rendered trees shaped like `flotilla synth` output, and small object builders.
export * from './fixture-tree';

// What the validate tests share: the pinned Flux example repositories and scratch copies of them.
export * from './flux-repos';

// What the generator tests share: real workspace files seeded into a virtual tree.
export * from './seed';

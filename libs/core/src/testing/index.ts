export * from './fixture-fleet';

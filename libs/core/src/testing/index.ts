export * from './fixture-fleet';
export * from './crash-fleets';

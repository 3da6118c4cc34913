export * from './fixture-fleet';
export * from './crash-fleets';
export * from './render-units';

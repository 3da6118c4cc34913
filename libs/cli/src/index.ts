export * from './lib/command';
export * from './lib/args';
export { commands } from './commands';
export { main } from './main';
export { fleetChecks, checkCluster } from './lib/fleet-checks';

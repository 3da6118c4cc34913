export * from './lib/teams-chart';

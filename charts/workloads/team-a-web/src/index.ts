export * from './lib/team-a-web';

// The fleet's team catalog: every team declared once, with its settings per environment; each
// cluster's tenants.ts picks the teams and apps it runs from here.
export * from './catalog';
export * from './team-a';
export * from './imagegen';
export * from './dj';

// The platform every cluster runs, one definition per area, a function of the cluster's facts (`c`)
// and its environment's typed settings (settings.ts); clusters/<name>/index.ts only chooses.
export * from './settings';
export * from './cluster';
export * from './controllers';
export * from './configs';
export * from './tenants';
export * from './appconfig';

import type { Unit } from '@flotilla/config';

/** Platform configuration this cluster runs (NodePools, secret stores, constraints, account policies). */
export const platformConfigs: Unit[] = [];

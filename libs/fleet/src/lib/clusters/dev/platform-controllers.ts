import type { Unit } from '@flotilla/config';

/** Add-on controllers this cluster runs (layer infra-controllers), each with its typed settings. */
export const platformControllers: Unit[] = [];

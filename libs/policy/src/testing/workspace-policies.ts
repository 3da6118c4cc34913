import { resolve } from 'node:path';
import { findRepoRoot } from '@flotilla/model';

/** The workspace's policy library (`policies/`), which the tests load and verify as the engine does. */
export const workspacePoliciesDir = resolve(findRepoRoot(__dirname), 'policies');

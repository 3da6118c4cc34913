import type { Command } from '../lib/command';
import { ciSettingsCommand } from './ci-settings';
import { diffCommand } from './diff';
import { guardCommand } from './guard';
import { policyReportCommand } from './policy-report';
import { policyVerifyCommand } from './policy-verify';
import { publishCommand } from './publish';
import { promoteCommand } from './promote';
import { setImageCommand } from './set-image';
import { shardsCommand } from './shards';
import { signedArtifactsCommand } from './signed-artifacts';
import { synthCommand } from './synth';
import { validateCommand } from './validate';

/** Every command `flotilla --help` lists, in the order it lists them. */
export const commands: readonly Command[] = [synthCommand, shardsCommand, validateCommand, policyVerifyCommand, policyReportCommand, diffCommand, guardCommand, setImageCommand, promoteCommand, ciSettingsCommand, signedArtifactsCommand, publishCommand];

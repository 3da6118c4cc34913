import type { Shard } from '@flotilla/core';
import { UsageError } from './command';

/** `--shard <i>/<n>`: shard i of n, both whole numbers, 1 ≤ i ≤ n. */
export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!match) throw new UsageError(`--shard needs <index>/<count> in whole numbers, e.g. --shard 1/3; got '${text}'`);
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (count < 1) throw new UsageError(`--shard ${text}: the shard count must be at least 1, e.g. --shard 1/2`);
  if (index < 1) throw new UsageError(`--shard ${text}: shards count from 1; use 1/${count} to ${count}/${count}`);
  if (index > count) throw new UsageError(`--shard ${text}: there are only ${count} shard(s); use 1/${count} to ${count}/${count}`);
  return { index, count };
}

import { readdirSync } from 'node:fs';
import { summarizeProfile } from './profile';
const dir = process.argv[2]!;
for (const f of readdirSync(dir)) { const s = summarizeProfile(`${dir}/${f}`, 30); console.log(s.totalMs); for (const e of s.modules) console.log('M', e.name, Math.round(e.ms)); for (const e of s.functions) console.log('F', e.name.slice(0,120), Math.round(e.ms)); }

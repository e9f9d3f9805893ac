// PostgreSQL postmasters (not their backends) whose data folder lies under `dir`, read from /proc. Tests and
// benchmarks that start real servers use it to prove none is left running and to stop strays by PID.
import { readdirSync, readFileSync } from 'node:fs';

export function postmastersUnder(dir) {
  const found = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    let cmd;
    try { cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0'); } catch { continue; }
    const d = cmd.indexOf('-D');
    if (cmd[0].endsWith('/bin/postgres') && d > 0 && cmd[d + 1].startsWith(dir)) found.push(Number(pid));
  }
  return found;
}

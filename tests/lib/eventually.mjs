// Waiting for state that changes asynchronously (a server, a file, a process, the UI after a request):
// read it until it is as wanted or a deadline passes, and on timeout fail with what was last seen. Tests
// use this instead of a fixed sleep, which is too short on a loaded CI machine and too long elsewhere.
import { setTimeout as sleep } from 'node:timers/promises';

// Calls `read` (sync or async) every `interval` ms until `until(value)` holds (by default: the value is
// truthy), and returns that value. A throw from `read` counts as "not yet" and as what was seen. After
// `timeout` ms, throws "<what>: not within N s; last seen: <value or error>".
export async function eventually(read, { until = Boolean, timeout = 20000, interval = 100, what = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    let seen;
    try {
      const value = await read();
      if (until(value)) return value;
      seen = JSON.stringify(value);
    } catch (error) {
      seen = `error: ${error.message}`;
    }
    if (Date.now() >= deadline) throw new Error(`${what}: not within ${timeout / 1000} s; last seen: ${seen}`);
    await sleep(interval);
  }
}

// The built cs-gateway (CS_GATEWAY_BIN) as a child process on a free loopback port, for every node test
// and benchmark that talks to a real gateway (browser tests through tests/browser/harness.mjs, the API
// tests, bench/*.mjs). One way to start it, one API client, one way to stop it by PID.
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { signUp } from './signup.mjs';

const kLogLimit = 1 << 20;  // the gateway logs every request; keep the last MiB for error messages

// Starts CS_GATEWAY_BIN on 127.0.0.1 and resolves once it prints its address.
//  siteDir: passed as --site-dir when set (default CS_SITE_DIR); API tests need none.
//  dataDir: the gateway's data folder; the caller's to keep (a second run on it continues the first).
//           When omitted, a fresh temporary one, removed by stop().
//  env:     added to the gateway's environment (e.g. CS_DEFAULT_PROVIDER=local for real deployments).
//  args:    added to its command line (e.g. --enable-test-double-target).
//  mailbox: (email) => the mails a test SMTP server received for it, when the gateway is given one
//           (--smtp-url); signUp() reads the outbox otherwise.
// Resolves to { url, dataDir, child, log(), api(method, path, token, body), signUp(email, password), stop(signal) }.
// Sign-ups per network are raised for tests (every client is 127.0.0.1); env can set them back.
export async function startGateway({ siteDir = process.env.CS_SITE_DIR, dataDir, env = {}, args: extraArgs = [], mailbox } = {}) {
  const bin = process.env.CS_GATEWAY_BIN;
  if (!bin) throw new Error('CS_GATEWAY_BIN is not set');
  const ownsData = !dataDir;
  const data = dataDir ?? mkdtempSync(path.join(tmpdir(), 'cs-gateway-'));
  const args = ['--port', '0', '--bind', '127.0.0.1', '--data-dir', data];
  if (siteDir) args.push('--site-dir', siteDir);
  args.push(...extraArgs);
  const child = spawn(bin, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CS_SIGNUPS_PER_NETWORK_PER_HOUR: '1000', ...env },
  });
  let output = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`gateway did not start in 30 s:\n${output}`)), 30000);
    let started = false;
    // Both streams are read to the end, also after start-up: a full pipe would block the gateway.
    const onData = (chunk) => {
      output += chunk;
      if (output.length > kLogLimit) output = output.slice(-kLogLimit);
      const match = !started && /CloudSketch gateway listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) { started = true; clearTimeout(timer); resolve(match[1]); }
    };
    child.stdout.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`gateway exited (${code}):\n${output}`)); });
  });
  return {
    url,
    dataDir: data,
    child,
    log: () => output,
    // One API call as the test's own client: {status, body, text}; body is the parsed JSON (null when
    // the answer is empty or not JSON), text the raw answer for messages.
    async api(method, urlPath, token, body) {
      const headers = { Accept: 'application/json' };
      if (token) headers.Authorization = `Bearer ${token}`;
      if (body !== undefined) headers['Content-Type'] = 'application/json';
      const response = await fetch(url + urlPath, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await response.text();
      let parsed = null;
      try { parsed = text ? JSON.parse(text) : null; } catch { /* not JSON: see text */ }
      return { status: response.status, body: parsed, text };
    },
    // Signs up through the real path (tests/lib/signup.mjs: at once for the first account of a gateway
    // without mail, else by following the mailed link) and resolves to the session
    // {token, expires_at, user, device_token}.
    async signUp(email, password) {
      return signUp({ post: (urlPath, body) => this.api('POST', urlPath, null, body), dataDir: data, mailbox }, email, password);
    },
    // Stops the process by PID: SIGTERM (a clean stop: leases handed back) or 'SIGKILL' (a crash), and
    // resolves once it has exited (SIGKILL after 5 s if a SIGTERM was not enough). Removes the data
    // folder only when startGateway made it.
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill(signal);
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGKILL');
          await exited;
        }
      }
      if (ownsData) rmSync(data, { recursive: true, force: true });
    },
  };
}

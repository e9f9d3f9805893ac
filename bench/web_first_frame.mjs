// Time from navigation start to the web app's first frame, in headless Chromium, over loopback.
// Serves the site with a minimal static server (no gateway needed) and loads /#app, which starts the
// app at once. Prints the median and the range of N cold loads (fresh profile each, so no service
// worker cache; default 5, or CS_FIRST_FRAME_RUNS) and exits non-zero over the 1.5 s target.
import http from 'node:http';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { launchBrowser } from '../tests/browser/harness.mjs';

const site = path.resolve(process.argv[2] || 'build/web/site');
const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css',
                '.svg': 'image/svg+xml', '.data': 'application/octet-stream' };
const server = http.createServer(async (req, res) => {
  const file = path.join(site, decodeURIComponent(new URL(req.url, 'http://x').pathname).replace(/\/$/, '/index.html'));
  if (!file.startsWith(site)) { res.writeHead(403).end(); return; }
  try {
    const body = await readFile(file);
    res.writeHead(200, { 'Content-Type': types[path.extname(file)] || 'application/octet-stream' }).end(body);
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${server.address().port}/#app`;

const count = Math.max(1, Number(process.env.CS_FIRST_FRAME_RUNS || 5));
const runs = [];
for (let i = 0; i < count; i++) {
  const chrome = await launchBrowser();
  try {
    const page = await chrome.page();
    await page.goto(url);
    await page.waitForFunction(() => window.csUi && window.csUi.frame() >= 1, null, { timeout: 60000 });
    runs.push(await page.evaluate(() => performance.now()));
  } finally {
    await chrome.close();
  }
}
server.close();
runs.sort((a, b) => a - b);
const median = runs.length % 2 ? runs[(runs.length - 1) / 2] : (runs[runs.length / 2 - 1] + runs[runs.length / 2]) / 2;
const ok = median < 1500;
console.log(`${ok ? 'PASS' : 'FAIL'} first frame after navigation: median ${median.toFixed(0)} ms ` +
            `(min ${runs[0].toFixed(0)}, max ${runs[runs.length - 1].toFixed(0)}; ${runs.length} cold loads, ` +
            `headless Chromium + SwiftShader, loopback; target under 1500 ms)`);
if (!ok) process.exitCode = 1;

// Time from navigation start to the web app's first frame, in headless Chromium, over loopback.
// Serves the site with a minimal static server (no gateway needed) and loads /#app, which starts the
// app at once. Prints the median and the range of 5 cold loads (fresh profile each).
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

const runs = [];
for (let i = 0; i < 5; i++) {
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
console.log(`first frame after navigation: median ${runs[2].toFixed(0)} ms (min ${runs[0].toFixed(0)}, max ${runs[4].toFixed(0)}; ` +
            `5 cold loads, headless Chromium + SwiftShader, loopback)`);

// Raw HTTP/1.1 over a TCP socket, for tests that must send what no well-behaved client sends (half a header,
// a body that never ends, a thousand idle connections) and see exactly what comes back.
import net from 'node:net';
import { readFileSync, readdirSync } from 'node:fs';

// Connects to the gateway at `url` (http://host:port) and resolves to the socket once connected.
export function connect(url) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: hostname, port: Number(port) });
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

// Collects what a socket receives until it closes or `timeoutMs` passes.
//   resolves to { text, closed, ms } (closed: the server ended the connection).
export function collect(socket, timeoutMs = 10000) {
  const started = Date.now();
  return new Promise((resolve) => {
    let text = '';
    let done = false;
    const finish = (closed) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve({ text, closed, ms: Date.now() - started });
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    socket.on('data', (chunk) => { text += chunk.toString('latin1'); });
    socket.on('end', () => finish(true));
    socket.on('close', () => finish(true));
    socket.on('error', () => finish(true));
  });
}

// Parses the first response in `text`: { status, headers (lower-case names), body }; null when none.
export function parseResponse(text) {
  const end = text.indexOf('\r\n\r\n');
  if (end < 0) return null;
  const lines = text.slice(0, end).split('\r\n');
  const status = Number(lines[0].split(' ')[1]);
  const headers = {};
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const length = Number(headers['content-length'] ?? 0);
  const body = text.slice(end + 4, end + 4 + length);
  let json = null;
  try { json = JSON.parse(body); } catch { /* not JSON */ }
  return { status, headers, body, json, rest: text.slice(end + 4 + length) };
}

// Sends `bytes` on a fresh connection and resolves to the first response (parsed) plus whether the server
// closed the connection afterwards: { response, closed, ms, text }.
export async function exchange(url, bytes, timeoutMs = 10000) {
  const socket = await connect(url);
  const got = collect(socket, timeoutMs);
  socket.write(bytes);
  const out = await got;
  socket.destroy();
  return { response: parseResponse(out.text), closed: out.closed, ms: out.ms, text: out.text };
}

// The process's resident memory now and at its peak, in MiB, from /proc.
export function memoryMiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (name) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)[1]);
  return { rss: kib('VmRSS') / 1024, peak: kib('VmHWM') / 1024 };
}

// Open file descriptors of a process.
export function openFds(pid) {
  return readdirSync(`/proc/${pid}/fd`).length;
}

// Samples the process's RSS every `everyMs` while `work` runs; resolves to { result, maxRss }.
export async function whileSampling(pid, work, everyMs = 20) {
  let maxRss = memoryMiB(pid).rss;
  const timer = setInterval(() => {
    try { maxRss = Math.max(maxRss, memoryMiB(pid).rss); } catch { /* exited */ }
  }, everyMs);
  try {
    const result = await work();
    return { result, maxRss: Math.max(maxRss, memoryMiB(pid).rss) };
  } finally {
    clearInterval(timer);
  }
}

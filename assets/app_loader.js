// Downloads and compiles app.wasm, and downloads app.data, on a worker thread for assets/boot.js.
// Why a worker: boot.js's WebGL 2 probe blocks the page's main thread until the GPU process has made the
// context (seconds in a cold software-GL browser). Work started on the main thread stalls meanwhile (a
// streaming compile is fed from it); here the download and V8's compile go on in parallel, and boot.js
// ends the worker, cancelling both, the moment the probe says the app cannot run.
// Messages to the page: {started}, then {module} or {error} and {data} (an ArrayBuffer, or null), then
// {timing}.
'use strict';

const site = new URL('../', self.location.href);  // this file is <site>/assets/app_loader.js

async function download(name) {
  const response = await fetch(new URL(name, site), { credentials: 'same-origin' });
  if (!response.ok) throw new Error(name + ': HTTP ' + response.status);
  return response;
}

async function compileWasm() {
  const response = await download('app.wasm');
  // Streaming compile needs the wasm MIME type; a server without it still gets the plain compile.
  if (typeof WebAssembly.compileStreaming === 'function' &&
      (response.headers.get('Content-Type') || '').startsWith('application/wasm')) {
    return WebAssembly.compileStreaming(response);
  }
  return WebAssembly.compile(await response.arrayBuffer());
}

// Resource Timing of the worker's downloads, in the page's clock (bench/web_first_frame.mjs shows them).
function timing() {
  const shift = performance.timeOrigin;
  const out = {};
  for (const entry of performance.getEntriesByType('resource')) {
    const name = new URL(entry.name).pathname.split('/').pop();
    if (name === 'app.wasm' || name === 'app.data') {
      out[name] = { requested: shift + entry.startTime, downloaded: shift + entry.responseEnd };
    }
  }
  return out;
}

const wasm = compileWasm().then(
  (module) => { postMessage({ module, compiled: performance.timeOrigin + performance.now() }); },
  (error) => { postMessage({ error: String(error && error.message ? error.message : error) }); });
const data = download('app.data').then((response) => response.arrayBuffer()).then(
  (bytes) => { postMessage({ data: bytes }, [bytes]); },
  () => { postMessage({ data: null }); });  // Emscripten's own loader then fetches it (and reports errors)
postMessage({ started: true });  // the page runs its WebGL 2 probe now: the requests above are under way
Promise.all([wasm, data]).then(() => postMessage({ timing: timing() }));

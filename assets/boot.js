// Landing page <-> app switch, loading of the WebAssembly module, and the test hooks (window.csUi).
// Kept out of index.html because the gateway's Content-Security-Policy forbids inline scripts.
(function () {
  'use strict';
  performance.mark('cs:boot');  // bench/web_first_frame.mjs splits the time to the first frame by cs:* marks

  const canvas = document.getElementById('canvas');
  const statusBox = document.getElementById('app-status');
  const statusText = document.getElementById('app-status-text');
  const notice = document.getElementById('support-notice');
  let started = false;     // start() ran: the app is loading
  let appStarted = false;  // its main() is about to draw the first frame

  const hasWasm = typeof WebAssembly === 'object' && typeof WebAssembly.instantiate === 'function';

  // app.wasm (compiled) and app.data, wanted before app.js runs: Emscripten's own loader would ask for
  // them only once app.js has been downloaded and run.
  let wasmModule = null;   // Promise<WebAssembly.Module>
  let dataFile = null;     // the ArrayBuffer of app.data once it has arrived
  let dataSettled = null;  // Promise: settles when that download has ended (with the bytes or not)
  let loader = null;       // the Worker of assets/app_loader.js while it works
  let loaderRunning = null;  // Promise: settles once the worker has asked for the files (or failed)

  // Marks in the page's timeline at a time taken in the worker (both clocks are epoch-based).
  function markAt(name, epochMs) {
    const at = epochMs - performance.timeOrigin;
    if (at >= 0) performance.mark(name, { startTime: at });
  }

  // Started before the WebGL 2 probe, on a worker (app_loader.js says why), when the browser has the
  // WebGL 2 API at all; a browser without it never downloads the app. unsupportedReason() below ends it
  // at once when this browser cannot make the context after all.
  function startLoader() {
    if (!hasWasm || typeof Worker !== 'function' || typeof WebGL2RenderingContext !== 'function') return;
    let worker;
    try {
      worker = new Worker('assets/app_loader.js');
    } catch (e) {
      return;  // no workers here (a CSP without worker-src 'self'): prefetch() does it on this thread
    }
    loader = worker;
    let running = null;
    loaderRunning = new Promise((resolve) => { running = resolve; });
    let dataDone = null;
    dataSettled = new Promise((resolve) => { dataDone = resolve; });
    wasmModule = new Promise((resolve, reject) => {
      worker.onmessage = (event) => {
        const message = event.data;
        if ('started' in message) {
          running();
        } else if ('module' in message) {
          markAt('cs:wasm-compiled', message.compiled);
          resolve(message.module);
        } else if ('error' in message) {
          reject(new Error(message.error));
        } else if ('data' in message) {
          dataFile = message.data;
          dataDone();
        } else if ('timing' in message) {
          for (const [name, t] of Object.entries(message.timing)) {
            markAt('cs:' + name + '-requested', t.requested);
            markAt('cs:' + name + '-downloaded', t.downloaded);
          }
          worker.terminate();
          loader = null;
        }
      };
      worker.onerror = (event) => {
        event.preventDefault();
        running();
        dataDone();  // Emscripten fetches app.data itself
        reject(new Error(event.message || 'assets/app_loader.js failed'));
      };
    }).catch((e) => {
      // The worker could not do it (blocked, or its own error): this thread fetches and compiles instead.
      console.warn('CloudSketch: loading app.wasm on the page instead of a worker (' + (e && e.message) + ')');
      if (loader) loader.terminate();
      loader = null;
      return compileOnPage();
    });
  }
  function stopLoader() {
    if (loader) loader.terminate();  // cancels its downloads and its compile
    loader = null;
    wasmModule = null;
    dataFile = null;
    dataSettled = null;
  }

  function compileOnPage() {
    return fetch('app.wasm', { credentials: 'same-origin' }).then((response) => {
      if (!response.ok) throw new Error('app.wasm: HTTP ' + response.status);
      return response.arrayBuffer();
    }).then((bytes) => WebAssembly.compile(bytes));
  }
  // When startLoader() did not start the downloads (the landing page, then a click on "Get started").
  function prefetch() {
    if (wasmModule || !hasWasm) return;
    wasmModule = compileOnPage();
    wasmModule.catch(() => {});  // reported by instantiateWasm below, once app.js asks for it
    dataSettled = fetch('app.data', { credentials: 'same-origin' })
      .then((response) => (response.ok ? response.arrayBuffer() : null))
      .then((bytes) => { dataFile = bytes; }, () => {});
  }

  // The canvas's drawing buffer in device pixels, as web/src/main.cpp sizes it (the canvas fills the
  // window): set before the app starts, so its WebGL context is not made or resized twice.
  function sizeCanvas() {
    const ratio = window.devicePixelRatio || 1;
    canvas.width = Math.round(window.innerWidth * ratio);
    canvas.height = Math.round(window.innerHeight * ratio);
  }

  // Why the app cannot run here, or '' when it can. Checked before loading megabytes for nothing.
  // The WebGL 2 probe asks the app's own canvas for the very context the app will draw with (the same
  // attributes as web/src/main.cpp's GLFW hints) and keeps it: the app's getContext then returns it
  // instead of making a second one (making a context takes hundreds of ms in software GL).
  function unsupportedReason() {
    if (!hasWasm) {
      return 'Your browser does not support WebAssembly, which the CloudSketch app needs. ' +
             'Please use a recent version of Chrome, Edge, Firefox or Safari.';
    }
    let gl = null;
    try {
      gl = canvas.getContext('webgl2', { alpha: true, depth: false, stencil: false, antialias: false });
    } catch (e) {
      gl = null;
    }
    if (!gl) {
      return 'Your browser cannot use WebGL 2, which the CloudSketch app needs to draw. ' +
             'Turn on hardware acceleration in your browser settings, or try a recent Chrome, Edge, ' +
             'Firefox or Safari.';
    }
    return '';
  }
  // A sign-up link, <site>/#verify/<token>: the token goes to the app (platform::TakeVerifyToken) and leaves
  // the address bar and the history at once, so it is not left behind in the browser for the next person.
  function takeVerifyToken() {
    if (!location.hash.startsWith('#verify/')) return;
    window.csVerifyToken = location.hash.slice('#verify/'.length);
    history.replaceState(null, '', '#app');
  }
  takeVerifyToken();
  // The app's addresses: #app (the dashboard and sign-in), and one per screen that the app itself puts in
  // the history (#plan/<id>, #account/aws; web/src/app.cpp RouteOf), so Back and Forward move between
  // screens and a reload reopens the one shown. Any other fragment is the landing page's.
  const isAppRoute = (hash) => hash === '#app' || hash.startsWith('#plan/') || hash.startsWith('#account/');
  const wantsApp = isAppRoute(location.hash);
  let reason = '';
  let probed = false;
  // The probe, then the page as it should be. With the loader at work it waits until the worker has
  // started: the worker's start needs this thread, which the probe would block.
  function probeThenRoute() {
    if (probed) return;
    probed = true;
    reason = unsupportedReason();
    if (reason) {
      stopLoader();
      showReason();
      if (document.readyState === 'complete') registerAfterLoad();
    }
    window.addEventListener('hashchange', route);
    route();
  }

  function showReason() {
    notice.textContent = reason;
    notice.hidden = false;
  }

  function showStatus(text, isError) {
    if (isError) registerServiceWorker();  // the site itself still works offline
    statusText.textContent = text;
    statusBox.classList.remove('hidden');
    statusBox.classList.toggle('error', !!isError);
  }

  function start() {
    if (started) return;
    started = true;
    sizeCanvas();
    prefetch();
    showStatus('Loading CloudSketch…', false);
    window.Module = {
      canvas: canvas,
      // Emscripten prints through these; keep them in the console only.
      print: (text) => console.log(text),
      printErr: (text) => console.warn(text),
      setStatus: (text) => { if (text) statusText.textContent = text.replace(/\(\d+\/\d+\)/, '').trim() || 'Loading CloudSketch…'; },
      onAppStarted: () => {
        statusBox.classList.add('hidden');
        canvas.focus();
        appStarted = true;
        // main() draws the first frame right after this call; the worker waits for the frame after it.
        requestAnimationFrame(() => setTimeout(registerServiceWorker, 0));
      },
      onAbort: (what) => showStatus('CloudSketch stopped unexpectedly. Reload the page to try again. (' + what + ')', true),
      // Emscripten's hooks for the downloads prefetch() started (its loader would start them only now).
      instantiateWasm: (imports, receiveInstance) => {
        wasmModule
          .then((module) => WebAssembly.instantiate(module, imports).then((instance) => receiveInstance(instance, module)))
          .catch((e) => showStatus('Could not start the CloudSketch app. Check your connection and reload the page. (' +
                                   (e && e.message ? e.message : e) + ')', true));
        return {};  // asynchronous: receiveInstance completes it
      },
      // Synchronous: when app.data is not here yet, Emscripten downloads it itself (null).
      getPreloadedPackage: () => { const bytes = dataFile; dataFile = null; return bytes; },
    };
    performance.mark('cs:load-app');
    // app.js asks for app.data synchronously as it starts, and downloads it a second time when it is not
    // here yet. So app.js is downloaded now (preload) but run once app.data's download has ended: 20 KB,
    // done long before app.wasm is compiled, which the app waits for anyway. A stuck download holds the app
    // back 3 s at most; Emscripten then fetches app.data itself and reports what goes wrong.
    const preload = document.createElement('link');
    preload.rel = 'preload';
    preload.as = 'script';
    preload.href = 'app.js';
    document.head.appendChild(preload);
    const dataWait = new Promise((resolve) => setTimeout(resolve, 3000));
    Promise.race([dataSettled || Promise.resolve(), dataWait]).then(() => {
      const script = document.createElement('script');
      script.src = 'app.js';
      script.onerror = () => showStatus('Could not load the CloudSketch app. Check your connection and reload the page.', true);
      document.body.appendChild(script);
    });
  }

  function route() {
    takeVerifyToken();
    const inApp = isAppRoute(location.hash);
    if (inApp && reason) {
      history.replaceState(null, '', '#top');
      document.documentElement.classList.remove('app-mode');  // shown while the probe ran
      showReason();
      return;
    }
    document.documentElement.classList.toggle('app-mode', inApp);
    if (inApp) {
      start();
      if (document.activeElement && document.activeElement !== document.body) document.activeElement.blur();
      canvas.focus();
    }
  }

  for (const link of document.querySelectorAll('[data-start]')) {
    link.addEventListener('click', () => { window.csStartMode = link.dataset.start; });
  }

  // Offline: the service worker (site root, so its scope is the whole site; sw.js says how it caches)
  // serves the page and the app when there is no network; plans themselves are kept by the app in
  // IndexedDB. Registered after the page has loaded and, when the app is starting, after its first
  // frame: installing downloads every file again and compiles app.js (half a second of CPU on a slow
  // machine), which would otherwise compete with the app's start.
  let workerRegistered = false;
  function registerServiceWorker() {
    if (workerRegistered || !('serviceWorker' in navigator) || location.protocol === 'file:') return;
    workerRegistered = true;
    navigator.serviceWorker.register('sw.js').catch((e) => {
      console.warn('Offline use is not available: ' + e.message);
    });
  }
  function registerAfterLoad() {
    const appLoading = started ? !appStarted : wantsApp && !probed;
    if (appLoading) return;  // the app's first frame (or its failure, or the probe's) registers it
    registerServiceWorker();
  }
  if (document.readyState === 'complete') registerAfterLoad(); else window.addEventListener('load', registerAfterLoad);

  // Test hooks. The app draws on a canvas, so tests ask it where a widget is, then click there with
  // the real mouse. Rectangles come from the last frame, converted to CSS pixels of the viewport.
  function toCss(widget) {
    const rect = canvas.getBoundingClientRect();
    const sx = rect.width / (canvas.width || 1);
    const sy = rect.height / (canvas.height || 1);
    return {
      id: widget.id, text: widget.text,
      x: rect.left + widget.x * sx, y: rect.top + widget.y * sy,
      w: widget.w * sx, h: widget.h * sy,
    };
  }
  const ready = () => !!(window.Module && typeof Module._cs_ui_frame === 'function' && Module.calledRun);
  window.csUi = {
    ready,
    frame: () => (ready() ? Module._cs_ui_frame() : 0),
    screen: () => (ready() ? Module.UTF8ToString(Module._cs_ui_screen()) : ''),
    widgets: () => (ready() ? JSON.parse(Module.UTF8ToString(Module._cs_ui_widgets())).map(toCss) : []),
    widget: (id) => window.csUi.widgets().find((w) => w.id === id) || null,
    // CPU milliseconds of each frame since the last call (bench/web_frame_time.mjs reads p50/p95).
    frameTimes: () => (ready() ? JSON.parse(Module.UTF8ToString(Module._cs_ui_frame_times())) : []),
  };

  if (wantsApp) {
    startLoader();  // first: it downloads and compiles while the probe waits for the GPU
    // assets/page_mode.js has put the page in app mode already: the landing page was never drawn.
    sizeCanvas();
  }
  if (loaderRunning) {
    loaderRunning.then(probeThenRoute);
    setTimeout(probeThenRoute, 1000);  // a worker that never reports must not keep the page waiting
  } else {
    probeThenRoute();
  }
})();

// Landing page <-> app switch, loading of the WebAssembly module, and the test hooks (window.csUi).
// Kept out of index.html because the gateway's Content-Security-Policy forbids inline scripts.
(function () {
  'use strict';
  performance.mark('cs:boot');  // bench/web_first_frame.mjs splits the time to the first frame by cs:* marks

  const canvas = document.getElementById('canvas');
  const statusBox = document.getElementById('app-status');
  const statusText = document.getElementById('app-status-text');
  const notice = document.getElementById('support-notice');
  let started = false;

  const hasWasm = typeof WebAssembly === 'object' && typeof WebAssembly.instantiate === 'function';

  // app.wasm and app.data, requested with app.js as soon as the app is wanted. Emscripten's own loader
  // asks for them only once app.js has been downloaded and run; here app.wasm is compiling (on V8's
  // background threads) and app.data is in memory by the time app.js runs.
  let wasmBytes = null;    // Promise<ArrayBuffer>
  let wasmModule = null;   // Promise<WebAssembly.Module>
  let dataFile = null;     // the ArrayBuffer of app.data once it has arrived
  function prefetch() {
    if (wasmBytes || !hasWasm) return;
    wasmBytes = fetch('app.wasm', { credentials: 'same-origin' }).then((response) => {
      if (!response.ok) throw new Error('app.wasm: HTTP ' + response.status);
      return response.arrayBuffer();
    });
    wasmModule = wasmBytes.then((bytes) => WebAssembly.compile(bytes));
    wasmModule.catch(() => {});  // reported by instantiateWasm below, once app.js asks for it
    fetch('app.data', { credentials: 'same-origin' })
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
  // On a 2-core machine, making the context while app.wasm compiles slowed both (A/B in
  // bench/web_first_frame.mjs): probe first, then start the downloads.
  const wantsApp = location.hash === '#app';
  if (wantsApp) sizeCanvas();
  const reason = unsupportedReason();
  if (wantsApp && !reason) prefetch();

  function showReason() {
    notice.textContent = reason;
    notice.hidden = false;
  }

  function showStatus(text, isError) {
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
      onAppStarted: () => { statusBox.classList.add('hidden'); canvas.focus(); },
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
    const script = document.createElement('script');
    script.src = 'app.js';
    script.onerror = () => showStatus('Could not load the CloudSketch app. Check your connection and reload the page.', true);
    document.body.appendChild(script);
  }

  function route() {
    const inApp = location.hash === '#app';
    if (inApp && reason) {
      history.replaceState(null, '', '#top');
      showReason();
      return;
    }
    document.body.classList.toggle('app-mode', inApp);
    if (inApp) {
      start();
      if (document.activeElement && document.activeElement !== document.body) document.activeElement.blur();
      canvas.focus();
    }
  }

  if (reason) showReason();
  for (const link of document.querySelectorAll('[data-start]')) {
    link.addEventListener('click', () => { window.csStartMode = link.dataset.start; });
  }
  window.addEventListener('hashchange', route);
  route();

  // Offline: the service worker (site root, so its scope is the whole site; sw.js says how it caches)
  // serves the page and the app when there is no network. Registered after the page has loaded so it
  // never competes with the app's first download; plans themselves are kept by the app in IndexedDB.
  if ('serviceWorker' in navigator && location.protocol !== 'file:') {
    const register = () => navigator.serviceWorker.register('sw.js').catch((e) => {
      console.warn('Offline use is not available: ' + e.message);
    });
    if (document.readyState === 'complete') register(); else window.addEventListener('load', register);
  }

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
})();

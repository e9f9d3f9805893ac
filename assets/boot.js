// Landing page <-> app switch, loading of the WebAssembly module, and the test hooks (window.csUi).
// Kept out of index.html because the gateway's Content-Security-Policy forbids inline scripts.
(function () {
  'use strict';

  const canvas = document.getElementById('canvas');
  const statusBox = document.getElementById('app-status');
  const statusText = document.getElementById('app-status-text');
  const notice = document.getElementById('support-notice');
  let started = false;

  // Why the app cannot run here, or '' when it can. Checked before loading 10 MB for nothing.
  function unsupportedReason() {
    if (typeof WebAssembly !== 'object' || typeof WebAssembly.instantiate !== 'function') {
      return 'Your browser does not support WebAssembly, which the CloudSketch app needs. ' +
             'Please use a recent version of Chrome, Edge, Firefox or Safari.';
    }
    let gl = null;
    try { gl = document.createElement('canvas').getContext('webgl2'); } catch (e) { gl = null; }
    if (!gl) {
      return 'Your browser cannot use WebGL 2, which the CloudSketch app needs to draw. ' +
             'Turn on hardware acceleration in your browser settings, or try a recent Chrome, Edge, ' +
             'Firefox or Safari.';
    }
    const lose = gl.getExtension('WEBGL_lose_context');
    if (lose) lose.loseContext();  // give the probe context back; the app makes its own
    return '';
  }
  const reason = unsupportedReason();

  function showStatus(text, isError) {
    statusText.textContent = text;
    statusBox.classList.remove('hidden');
    statusBox.classList.toggle('error', !!isError);
  }

  function start() {
    if (started) return;
    started = true;
    showStatus('Loading CloudSketch…', false);
    window.Module = {
      canvas: canvas,
      // Emscripten prints through these; keep them in the console only.
      print: (text) => console.log(text),
      printErr: (text) => console.warn(text),
      setStatus: (text) => { if (text) statusText.textContent = text.replace(/\(\d+\/\d+\)/, '').trim() || 'Loading CloudSketch…'; },
      onAppStarted: () => { statusBox.classList.add('hidden'); canvas.focus(); },
      onAbort: (what) => showStatus('CloudSketch stopped unexpectedly. Reload the page to try again. (' + what + ')', true),
    };
    const script = document.createElement('script');
    script.src = 'app.js';
    script.onerror = () => showStatus('Could not load the CloudSketch app. Check your connection and reload the page.', true);
    document.body.appendChild(script);
  }

  function route() {
    const inApp = location.hash === '#app';
    if (inApp && reason) {
      history.replaceState(null, '', '#top');
      notice.textContent = reason;
      notice.hidden = false;
      return;
    }
    document.body.classList.toggle('app-mode', inApp);
    if (inApp) {
      start();
      if (document.activeElement && document.activeElement !== document.body) document.activeElement.blur();
      canvas.focus();
    }
  }

  if (reason) {
    notice.textContent = reason;
    notice.hidden = false;
  }
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

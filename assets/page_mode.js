// Picks the page's mode before anything is painted: a direct link to the app (/#app) must never draw the
// landing page first. Painting it (text, rounded boxes, the logo) makes a browser without a GPU
// (SwiftShader) compile Skia's text and path shaders, about a second of work in a browser that has just
// started, and the app's first frame waits for it (bench/web_first_frame.mjs). A blocking script in <head>,
// so it runs before the first paint; assets/boot.js owns the mode from then on.
// A sign-up link (#verify/<token>) opens the app too (assets/boot.js hands the token to it), and so do the
// app's screens' own addresses (#plan/<id>, #account/aws: a reload reopens the screen).
if (location.hash === '#app' || /^#(verify|plan|account)\//.test(location.hash)) document.documentElement.classList.add('app-mode');

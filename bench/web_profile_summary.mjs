// Reads a Chromium CPU profile (CDP Profiler.stop's `profile`) of the web app and says where the time
// went: self time per function (the hot spots) and inclusive time of the frame's phases. Used by
// bench/web_frame_time.mjs --profile. Wasm functions are named only in a --profiling-funcs build
// (otherwise they show as wasm-function[N]).

// The frame's phases, by the function that runs each (wasm names as --profiling-funcs writes them).
const kPhases = [
  ['whole frame (MainLoopStep)', /MainLoopStep/],
  ['input + ImGui::NewFrame', /^ImGui::NewFrame\(\)$/],
  ['App::Frame (build the UI)', /^ui::App::Frame\(\)$/],
  ['  DrawCanvas', /^ui::editor::DrawCanvas\(/],
  ['  DrawProperties', /^ui::editor::DrawProperties\(/],
  ['  DrawProblems', /^ui::editor::DrawProblems\(/],
  ['  DrawPreview', /^ui::editor::DrawPreview\(/],
  ['  probe JSON (ProbeFrameJson)', /^ui::ProbeFrameJson\(\)$/],
  ['ImGui::Render', /^ImGui::Render\(\)$/],
  ['GL backend (RenderDrawData)', /^ImGui_ImplOpenGL3_RenderDrawData\(/],
];

function label(frame) {
  if (frame.functionName) return frame.functionName;
  const file = frame.url ? frame.url.split('/').pop() : '';
  return `(anonymous ${file}:${frame.lineNumber})`;
}

export function summarizeProfile(profile, frames) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children || []) parent.set(child, node.id);
  // Time attributed to each node: the sampling gap that follows each of its samples.
  const selfUs = new Map();
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i + 1] ?? 0;
    selfUs.set(profile.samples[i], (selfUs.get(profile.samples[i]) || 0) + dt);
    total += dt;
  }
  const self = new Map();
  const inclusive = new Map();
  for (const [id, us] of selfUs) {
    const name = label(byId.get(id).callFrame);
    self.set(name, (self.get(name) || 0) + us);
    const seen = new Set();
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const frameName = label(byId.get(at).callFrame);
      if (seen.has(frameName)) continue;
      seen.add(frameName);
      inclusive.set(frameName, (inclusive.get(frameName) || 0) + us);
    }
  }
  const idle = ['(idle)', '(program)', '(garbage collector)'].reduce((sum, n) => sum + (self.get(n) || 0), 0);
  const busy = total - idle;
  const ms = (us) => (us / 1000).toFixed(1).padStart(8);
  const pct = (us) => `${((100 * us) / (busy || 1)).toFixed(1).padStart(5)}%`;
  const lines = [`CPU profile: ${(total / 1e6).toFixed(2)} s sampled, ${(busy / 1e6).toFixed(2)} s busy ` +
                 `(idle/program/GC excluded), ${frames} frames. Shares are of busy time.`];
  lines.push('Phases (inclusive):');
  for (const [name, pattern] of kPhases) {
    let us = 0;
    for (const [fn, t] of inclusive) if (pattern.test(fn)) us = Math.max(us, t);
    lines.push(`  ${ms(us)} ms ${pct(us)}  ${(us / 1000 / (frames || 1)).toFixed(2).padStart(6)} ms/frame  ${name}`);
  }
  lines.push('Top functions by self time:');
  const top = [...self].filter(([n]) => !['(idle)', '(program)'].includes(n)).sort((a, b) => b[1] - a[1]).slice(0, 25);
  for (const [name, us] of top) lines.push(`  ${ms(us)} ms ${pct(us)}  ${name.slice(0, 110)}`);
  return lines.join('\n');
}

// ==== live_descent.js: the descent player (uses the core only) ====
// The server computes the frames with cevis, a chunk at a time; this plays them. One step
// counter (S.at) is the truth for the bars, the numbers, the loss path and the caption. Play,
// pause, step, back, speed; keys: space plays or pauses, ← → step. A pause reports the step
// to the server, so a change of η (or the loss, ε, T) made then continues from it.

const DPLOT = { w: 520, h: 210, left: 46, right: 505, top: 20, bottom: 176 };
const SPEEDS = [1, 2, 4, 8, 16]; // steps per second; 4 is slow enough to talk over
const AHEAD = 10; // frames left when the next chunk is asked for
const REPORT_MS = 350; // a paused step or back is reported once the keys rest this long

const descentView = {
  shape: (d) => JSON.stringify([d.names, d.y]),
  build(host, data, commit) {
    const names = data.names, C = names.length, y = data.y;
    const root = el("div", { class: "cl cl-player", "data-testid": "cevis-live", tabindex: "0",
      role: "group", "aria-label": "Gradient descent player: space plays or pauses, arrow keys step" }, host);
    const bar = el("div", { class: "cl-transport" }, root);
    const back = el("button", { type: "button", class: "cl-btn", "aria-label": "Back one step" }, bar, "← Back");
    const play = el("button", { type: "button", class: "cl-btn cl-play", "data-testid": "cevis-descent-play" }, bar, "▶ Play");
    const fwd = el("button", { type: "button", class: "cl-btn", "aria-label": "Forward one step" }, bar, "Step →");
    const speedLabel = el("label", { class: "cl-k" }, bar, "Speed ");
    const speed = el("select", { "aria-label": "Speed, steps per second" }, speedLabel);
    for (const s of SPEEDS) el("option", { value: String(s) }, speed, `${s} steps/s`);
    speed.value = "4";
    const read = el("div", { class: "cl-read" }, root);
    const rStep = readout(read, "Step", "cevis-descent-step");
    const rLoss = readout(read, "Loss", "cevis-descent-loss");
    const rPy = readout(read, `p(${names[y]})`, "cevis-descent-py");
    const rEta = readout(read, "η", "cevis-descent-eta");
    const svg = el("svg:svg", { class: "cl-svg cl-dplot", viewBox: `0 0 ${DPLOT.w} ${DPLOT.h}`, role: "img",
      "aria-label": "The loss at each step so far; dashed lines mark where a setting changed" }, root);
    el("svg:line", { class: "cl-axis", x1: DPLOT.left, x2: DPLOT.right, y1: DPLOT.bottom, y2: DPLOT.bottom }, svg);
    el("svg:line", { class: "cl-axis", x1: DPLOT.left, x2: DPLOT.left, y1: DPLOT.top, y2: DPLOT.bottom }, svg);
    el("svg:text", { x: DPLOT.left + 6, y: DPLOT.top - 6 }, svg, "loss");
    const xEnd = el("svg:text", { x: DPLOT.right, y: DPLOT.bottom + 18, "text-anchor": "end" }, svg);
    el("svg:text", { x: DPLOT.left, y: DPLOT.bottom + 18, "text-anchor": "middle" }, svg, "0");
    el("svg:text", { x: (DPLOT.left + DPLOT.right) / 2, y: DPLOT.h - 2, "text-anchor": "middle" }, svg, "step");
    const yTop = el("svg:text", { x: DPLOT.left - 6, y: DPLOT.top + 5, "text-anchor": "end" }, svg);
    el("svg:text", { x: DPLOT.left - 6, y: DPLOT.bottom + 4, "text-anchor": "end" }, svg, "0");
    const marks = el("svg:g", {}, svg);
    const path = el("svg:path", { class: "cl-curve" }, svg);
    const dot = el("svg:circle", { class: "cl-dot", r: 6 }, svg);
    const table = el("div", { class: "cl-dtable", role: "group", "aria-label": "Each class at this step" }, root);
    for (const h of ["Class", "z", "p", "", "∂L/∂z"]) el("div", { class: "cl-h" }, table, h);
    const rows = names.map((n, j) => {
      el("div", { class: "cl-name" + (j === y ? " cl-true" : "") }, table, j === y ? `${n} ✓` : n);
      const z = el("div", { class: "cl-val" }, table);
      const pv = el("div", { class: "cl-val" }, table);
      const cell = el("div", { class: "cl-bar" + (j === y ? " cl-true-row" : "") }, table);
      const pbar = el("div", { class: "cl-pbar" }, cell);
      const g = el("div", { class: "cl-val" }, table);
      return { z, pv, pbar, g };
    });
    const caption = el("p", { class: "cl-legend", "data-testid": "cevis-descent-caption" }, root);
    const voice = announcer(root);
    const S = { data, A: null, at: 0, playing: false, waiting: false, sig: null, speed: 4, last: 0,
      clock: null, report: null };

    const segmentAt = (k) => {
      let seg = S.data.segments[0];
      for (const s of S.data.segments) if (s.start <= k) seg = s;
      return seg;
    };
    const x = (k) => DPLOT.left + (k / Math.max(1, S.last)) * (DPLOT.right - DPLOT.left);
    const ly = (l) => DPLOT.bottom - (Math.min(l, S.data.ltop) / S.data.ltop) * (DPLOT.bottom - DPLOT.top);
    const text = () => {
      const A = S.A, k = S.at;
      return `At step ${k}: loss ${fmt(A.l[k], 4)}, p of the true class ${fmt(A.p[y * (S.last + 1) + k], 4)}.`;
    };

    function draw() {
      const A = S.A, k = S.at, N = S.last + 1, seg = segmentAt(k);
      rStep.v.textContent = `${k}`;
      rLoss.v.textContent = fmt(A.l[k], 4);
      rPy.v.textContent = fmt(A.p[y * N + k], 4);
      rEta.v.textContent = seg.eta;
      for (let j = 0; j < C; j++) {
        const r = rows[j];
        r.z.textContent = fmt(A.z[j * N + k], 2);
        r.pv.textContent = fmt(A.p[j * N + k], 4);
        r.pbar.style.transform = `scaleX(${A.p[j * N + k] / 10000})`;
        r.g.textContent = fmt(A.g[j * N + k], 4, true);
      }
      let d = "";
      for (let i = 0; i <= k; i++) d += `${i ? "L" : "M"}${x(i).toFixed(1)},${ly(A.l[i]).toFixed(1)}`;
      path.setAttribute("d", d);
      dot.setAttribute("cx", x(k)); dot.setAttribute("cy", ly(A.l[k]));
      caption.textContent = text();
      play.textContent = S.playing ? "❚❚ Pause" : "▶ Play";
      play.setAttribute("aria-pressed", String(S.playing));
      root.setAttribute("data-step", String(k));
      root.setAttribute("data-playing", String(S.playing));
    }
    function drawMarks() {
      marks.textContent = "";
      for (const s of S.data.segments.slice(1)) {
        el("svg:line", { class: "cl-guide", x1: x(s.start), x2: x(s.start), y1: DPLOT.top, y2: DPLOT.bottom }, marks);
        el("svg:text", { x: x(s.start) + 4, y: DPLOT.top + 12, class: "cl-mark" }, marks, `η = ${s.eta}`);
      }
      xEnd.textContent = String(S.last);
      yTop.textContent = S.data.ltop_text;
    }
    const report = () => { clearTimeout(S.report); S.report = setTimeout(() => commit({ cmd: "pause", step: S.at }), REPORT_MS); };
    function more() {
      if (S.waiting || S.last >= S.data.max_steps) return;
      S.waiting = true;
      commit({ cmd: "more", step: S.at });
    }
    function tick(now) {
      if (!S.playing) return;
      if (S.clock === null) S.clock = now;
      if (now - S.clock >= 1000 / S.speed) {
        S.clock = now;
        if (S.at < S.last) { S.at += 1; draw(); }
        else if (S.last >= S.data.max_steps) { pause(); return; }
      }
      if (S.last - S.at <= AHEAD) more();
      requestAnimationFrame(tick);
    }
    function start() {
      if (S.playing) return;
      if (S.at >= S.data.max_steps) return;
      S.playing = true; S.clock = null; draw();
      requestAnimationFrame(tick);
    }
    function pause() {
      if (!S.playing) return;
      S.playing = false; draw();
      voice.now(text());
      clearTimeout(S.report);
      commit({ cmd: "pause", step: S.at });
    }
    function stepBy(n) {
      if (S.playing) pause();
      const k = Math.max(0, Math.min(S.last, S.at + n));
      if (k === S.at) { if (n > 0) more(); return; }
      S.at = k; draw(); voice.later(text()); report();
      if (S.last - S.at <= AHEAD) more();
    }
    play.addEventListener("click", () => (S.playing ? pause() : start()));
    back.addEventListener("click", () => stepBy(-1));
    fwd.addEventListener("click", () => stepBy(1));
    speed.addEventListener("change", () => { S.speed = Number(speed.value); });
    root.addEventListener("keydown", (e) => {
      if (e.target === speed) return; // the select keeps its own keys
      const keys = { " ": () => (S.playing ? pause() : start()), ArrowLeft: () => stepBy(-1), ArrowRight: () => stepBy(1) };
      if (!(e.key in keys) || e.repeat && e.key === " ") return;
      e.preventDefault();
      keys[e.key]();
    });

    return {
      root,
      update(d, A) {
        const sig = d.run;
        S.data = d; S.A = A; S.last = d.last; S.waiting = false;
        if (sig !== S.sig) { // a new run, or a change continued from a step: show that step, paused
          S.sig = sig; S.at = d.at; S.playing = false;
        }
        S.at = Math.min(S.at, S.last);
        drawMarks();
        draw();
      },
    };
  },
};

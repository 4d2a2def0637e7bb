// ==== live_binary.js: the Binary page's view (uses the core only) ====
// Drag the prediction along the sigmoid (its logit sideways or its probability up and down);
// the points on both BCE curves, the readouts and dL/dz follow. Every number and position is
// looked up in the server's tables; the logit axis spans the payload's grid.

const PLOT = { w: 320, h: 240, left: 42, right: 308, top: 16, bottom: 196, lmax: 50000 }; // loss 5
const px = (f) => PLOT.left + f * (PLOT.right - PLOT.left);
const py = (f) => PLOT.bottom - f * (PLOT.bottom - PLOT.top);
const pY = (p) => py(p / 10000); // p in 1e-4
const pX = (p) => px(p / 10000);
const lY = (l) => py(Math.min(l, PLOT.lmax) / PLOT.lmax); // loss in 1e-4

function plotFrame(parent, aria, xt, yt, xlabel, ylabel) {
  const svg = el("svg:svg", { class: "cl-svg", viewBox: `0 0 ${PLOT.w} ${PLOT.h}`, role: "group",
    "aria-label": aria }, parent);
  el("svg:line", { class: "cl-axis", x1: PLOT.left, x2: PLOT.right, y1: PLOT.bottom, y2: PLOT.bottom }, svg);
  el("svg:line", { class: "cl-axis", x1: PLOT.left, x2: PLOT.left, y1: PLOT.top, y2: PLOT.bottom }, svg);
  // x ticks hang below the axis at any font size; the first starts at the axis, clear of the
  // y axis's lowest label (they collided when presenting)
  for (const [f, t] of xt) el("svg:text", { x: px(f), y: PLOT.bottom + 5, "dominant-baseline": "hanging",
    "text-anchor": f === 0 ? "start" : "middle" }, svg, t);
  for (const [f, t] of yt) el("svg:text", { x: PLOT.left - 6, y: py(f) + 4, "text-anchor": "end" }, svg, t);
  el("svg:text", { x: (PLOT.left + PLOT.right) / 2, y: PLOT.bottom + 5, dy: "1.4em",
    "dominant-baseline": "hanging", "text-anchor": "middle" }, svg, xlabel); // a line under the ticks
  el("svg:text", { x: PLOT.left + 6, y: PLOT.top - 4 }, svg, ylabel);
  return svg;
}

function pathOf(xs, ys) {
  let d = "";
  for (let i = 0; i < xs.length; i++) d += `${i ? "L" : "M"}${xs[i].toFixed(1)},${ys[i].toFixed(1)}`;
  return d;
}

const binaryView = {
  shape: (d) => JSON.stringify([d.drag, d.t]),
  build(host, data, commit) {
    const byLogit = data.drag === "logit", t = data.t;
    const [zlow, zhigh] = data.zrange; // the sigmoid chart's logit axis, in 1e-2
    const zx = (z) => px((Math.max(zlow, Math.min(zhigh, z)) - zlow) / (zhigh - zlow));
    const whole = (n) => fmt(n, 2).replace(/\.00$/, "");
    const root = el("div", { class: "cl", "data-testid": "cevis-live" }, host);
    const read = el("div", { class: "cl-read" }, root);
    const rP = readout(read, "p = σ(z)", "cevis-live-p");
    const rL = readout(read, `Loss (t = ${t})`, "cevis-live-loss");
    const rGz = readout(read, "∂L/∂z = p − t", "cevis-live-gz");
    const rGp = readout(read, "∂L/∂p", "cevis-live-gp");
    const rZ = readout(read, "z", "cevis-live-z");
    const charts = el("div", { class: "cl-charts" }, root);
    const sig = plotFrame(charts, "The sigmoid p = σ(z) with the prediction on it",
      [[0, whole(zlow)], [0.5, whole((zlow + zhigh) / 2)], [1, whole(zhigh)]], [[0, "0"], [0.5, "0.5"], [1, "1"]], "logit z", "p = σ(z)");
    const sigPath = el("svg:path", { class: "cl-curve" }, sig);
    const sigGx = el("svg:line", { class: "cl-guide" }, sig);
    const sigGy = el("svg:line", { class: "cl-guide" }, sig);
    // sideways drags leave vertical pans to the page (a phone still scrolls past the chart)
    const track = el("svg:rect", { class: byLogit ? "cl-drag cl-drag-h" : "cl-drag", x: PLOT.left, y: PLOT.top, width: PLOT.right - PLOT.left,
      height: PLOT.bottom - PLOT.top, fill: "transparent" }, sig);
    const knob = el("svg:g", { role: "slider", tabindex: "0",
      "aria-label": byLogit ? "logit z" : "probability p",
      "aria-orientation": byLogit ? "horizontal" : "vertical" }, sig);
    const knobDot = el("svg:circle", { class: "cl-knob", r: 9 }, knob);
    knob.style.pointerEvents = "none"; // the track under it takes the pointer; the knob takes keys
    const bce = plotFrame(charts, "Both binary cross-entropy curves with the prediction's points",
      [[0, "0"], [0.5, "0.5"], [1, "1"]], [0, 1, 2, 3, 4, 5].map((l) => [l / 5, String(l)]), "p", "loss");
    const c1 = el("svg:path", { class: "cl-curve" + (t === 1 ? "" : " cl-dim") }, bce);
    const c0 = el("svg:path", { class: "cl-curve0" + (t === 0 ? "" : " cl-dim") }, bce);
    const d1 = el("svg:circle", { class: "cl-dot" + (t === 1 ? "" : " cl-dim"), r: t === 1 ? 8 : 5 }, bce);
    const d0 = el("svg:circle", { class: "cl-dot0" + (t === 0 ? "" : " cl-dim"), r: t === 0 ? 8 : 5 }, bce);
    // the two legend lines sit below the axis title by their own font size (larger when presenting)
    el("svg:text", { x: PLOT.left + 8, y: PLOT.top, dy: "2em" }, bce, `t = 1: −log p${t === 1 ? " (this label)" : ""}`);
    el("svg:text", { x: PLOT.right - 4, y: PLOT.top, dy: "3.4em", "text-anchor": "end" }, bce,
      `t = 0: −log(1 − p)${t === 0 ? " (this label)" : ""}`);
    const gRow = el("div", { class: "cl-controls" }, root);
    el("div", { class: "cl-k" }, gRow, "∂L/∂z = p − t");
    const gcell = el("div", { class: "cl-bar" }, gRow);
    el("div", { class: "cl-gmid" }, gcell);
    const gbar = el("div", { class: "cl-gbar" }, gcell);
    const gval = el("div", { class: "cl-val" }, gRow);
    el("p", { class: "cl-legend" }, root, (byLogit ? "Drag the point sideways (or use the arrow keys) to move z. "
      : "Drag the point up or down (or use the arrow keys) to move p. ") +
      "Solid curve and large dot: the loss for this label; the bar: ∂L/∂z, always between −1 and 1 " +
      "(↑ a descent step raises z, ↓ lowers it).");
    const S = { A: null, data, mode: "rest", i: 0 };
    const voice = announcer(root);
    const summary = () => `Loss ${rL.v.textContent}, p ${rP.v.textContent}, ∂L/∂z ${rGz.v.textContent}`;

    function draw() {
      const A = S.A, src = S.mode === "rest" ? "current" : byLogit ? "by_logit" : "by_prob";
      const r = S.mode === "rest" ? 0 : S.i, text = (f) => A[`${src}.text.${f}`][r];
      const z = A[src + ".z"][r], p = A[src + ".p"][r], l1 = A[src + ".l1"][r], l0 = A[src + ".l0"][r];
      rP.v.textContent = text("p");
      rL.v.textContent = text("l");
      rGz.v.textContent = text("gz").replace("-", MINUS);
      rGp.v.textContent = text("gp").replace("-", MINUS);
      rZ.v.textContent = text("z").replace("-", MINUS);
      knobDot.setAttribute("cx", zx(z)); knobDot.setAttribute("cy", pY(p));
      sigGx.setAttribute("x1", zx(z)); sigGx.setAttribute("x2", zx(z));
      sigGx.setAttribute("y1", pY(p)); sigGx.setAttribute("y2", PLOT.bottom);
      sigGy.setAttribute("x1", PLOT.left); sigGy.setAttribute("x2", zx(z));
      sigGy.setAttribute("y1", pY(p)); sigGy.setAttribute("y2", pY(p));
      setSlider(knob, byLogit ? text("z") : text("p"), `z = ${text("z")}, p = ${text("p")}, loss ${text("l")}`);
      d1.setAttribute("cx", pX(p)); d1.setAttribute("cy", lY(l1));
      d0.setAttribute("cx", pX(p)); d0.setAttribute("cy", lY(l0));
      const gz = A[src + ".gz"][r];
      gbar.style.transform = `scaleX(${gz / 10000})`;
      gbar.className = "cl-gbar " + (gz < 0 ? "cl-neg" : "cl-pos");
      gval.textContent = text("gz").replace("-", MINUS) + (gz < 0 ? " ↑" : gz > 0 ? " ↓" : "");
      if (S.active) voice.later(summary());
    }
    const frame = frameLoop(draw);
    const grid = () => (byLogit ? S.A.grid : S.A.pgrid);
    makeSlider({ track, handle: knob, count: () => grid().length, page: 10, orient: byLogit ? "h" : "v",
      move: (i) => { S.mode = "drag"; S.i = i; S.active = true; frame(); },
      commit: () => {
        S.active = false;
        voice.now(summary());
        commit(byLogit ? { z: S.A.grid[S.i] } : { p: S.A.pgrid[S.i] });
      },
      position: () => (S.mode === "drag" ? S.i
        : gridIndex(grid(), byLogit ? S.A["current.z"][0] : S.A["current.p"][0])) });
    return {
      root,
      update(d, A) {
        if (S.active) return; // a render arriving mid-drag waits for the release's rerun
        S.data = d; S.A = A; S.mode = "rest";
        const g = grid();
        [knob.ariaValueMin, knob.ariaValueMax] = [g[0], g[g.length - 1]].map((v) => ASCII(fmt(v, byLogit ? 2 : 4)));
        const gz = Array.from(A["by_logit.z"], zx), gp = Array.from(A["by_logit.p"], pY);
        sigPath.setAttribute("d", pathOf(gz, gp));
        const xs = Array.from(A["by_prob.p"], pX);
        c1.setAttribute("d", pathOf(xs, Array.from(A["by_prob.l1"], lY)));
        c0.setAttribute("d", pathOf(xs, Array.from(A["by_prob.l0"], lY)));
        draw();
      },
    };
  },
};

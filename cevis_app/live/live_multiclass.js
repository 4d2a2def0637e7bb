// ==== live_multiclass.js: the Explorer's view (uses the core and the formulas only) ====
// One row per class (logit handle, p bar, gradient bar), the point on −log p, the readouts,
// the temperature and shift controls, the formulas and the class table. Every frame looks
// the dragged state's row up in the server's tables; nothing is computed here.

const CURVE = { w: 300, h: 230, left: 44, right: 290, top: 18, bottom: 190, ymax: 50000 }; // loss 5

function curveX(p) { return CURVE.left + (p / 10000) * (CURVE.right - CURVE.left); }
function curveY(l) { return CURVE.bottom - (Math.min(l, CURVE.ymax) / CURVE.ymax) * (CURVE.bottom - CURVE.top); }

function buildCurve(parent) {
  const svg = el("svg:svg", { class: "cl-svg", viewBox: `0 0 ${CURVE.w} ${CURVE.h}`,
    role: "img", "aria-label": "The loss −log p(y) against p(y), with the current point" }, parent);
  el("svg:line", { class: "cl-axis", x1: CURVE.left, x2: CURVE.right, y1: CURVE.bottom, y2: CURVE.bottom }, svg);
  el("svg:line", { class: "cl-axis", x1: CURVE.left, x2: CURVE.left, y1: CURVE.top, y2: CURVE.bottom }, svg);
  // x ticks hang below the axis at any font size; the first starts at the axis, clear of the
  // y axis's "0" (they collided when presenting)
  for (const [p, t] of [[0, "0"], [5000, "0.5"], [10000, "1"]]) {
    el("svg:text", { x: curveX(p), y: CURVE.bottom + 5, "dominant-baseline": "hanging",
      "text-anchor": p === 0 ? "start" : "middle" }, svg, t);
  }
  for (let l = 0; l <= 5; l++) {
    el("svg:text", { x: CURVE.left - 6, y: curveY(l * 10000) + 4, "text-anchor": "end" }, svg, String(l));
  }
  el("svg:text", { x: (CURVE.left + CURVE.right) / 2, y: CURVE.bottom + 5, dy: "1.4em",
    "dominant-baseline": "hanging", "text-anchor": "middle" }, svg, "p(y)"); // a line under the ticks
  el("svg:text", { x: CURVE.left + 6, y: CURVE.top - 4 }, svg, "loss −log p(y)");
  const path = el("svg:path", { class: "cl-curve" }, svg);
  const gx = el("svg:line", { class: "cl-guide" }, svg);
  const gy = el("svg:line", { class: "cl-guide" }, svg);
  const dot = el("svg:circle", { class: "cl-dot", r: 7 }, svg);
  const label = el("svg:text", { "font-weight": "600", "data-testid": "cevis-live-curve-label" }, svg);
  return { path, gx, gy, dot, label };
}

function classRow(table, name, isTrue, j) {
  const cls = isTrue ? " cl-true-row" : "";
  const n = el("div", { class: "cl-name" + (isTrue ? " cl-true" : "") }, table, isTrue ? `${name} ✓` : name);
  n.setAttribute("data-class", String(j)); n.setAttribute("data-what", "row");
  if (isTrue) n.title = "the true class y";
  const track = el("div", { class: "cl-track" + cls }, table);
  el("div", { class: "cl-rail" }, track);
  const fill = el("div", { class: "cl-fill" }, track);
  el("div", { class: "cl-zero" }, track);
  const handle = el("div", { class: "cl-handle", role: "slider", tabindex: "0",
    "aria-label": `logit z of ${name}`, "aria-orientation": "horizontal" }, track);
  const zval = el("div", { class: "cl-val cl-zval" }, table);
  const pcell = el("div", { class: "cl-bar cl-pcell" + cls, "data-class": String(j), "data-what": "p" }, table);
  const pbar = el("div", { class: "cl-pbar" }, pcell);
  const ghost = el("div", { class: "cl-ghost", title: "p at T = 1" }, pcell);
  const pval = el("span", {}, el("div", { class: "cl-val cl-pval" }, table, ""));
  pval.parentNode.insertBefore(el("span", { class: "cl-nl" }, null, "p "), pval);
  const gcell = el("div", { class: "cl-bar cl-gcell", "data-class": String(j), "data-what": "g" }, table);
  el("div", { class: "cl-gmid" }, gcell);
  const gbar = el("div", { class: "cl-gbar" }, gcell);
  const gval = el("span", {}, el("div", { class: "cl-val cl-gval" }, table, ""));
  gval.parentNode.insertBefore(el("span", { class: "cl-nl" }, null, "∂L/∂z "), gval);
  return { track, fill, handle, zval, pbar, ghost, pval, gbar, gval };
}

function controlRow(parent, label, aria) {
  el("div", { class: "cl-k" }, parent, label);
  const track = el("div", { class: "cl-track" }, parent);
  el("div", { class: "cl-rail" }, track);
  const reach = el("div", { class: "cl-reach" }, track);
  const handle = el("div", { class: "cl-handle", role: "slider", tabindex: "0", "aria-label": aria,
    "aria-orientation": "horizontal" }, track);
  const val = el("div", { class: "cl-val" }, parent);
  return { track, handle, val, reach };
}

const multiclassView = {
  shape: (d) => JSON.stringify([d.names, d.y]),
  build(host, data, commit) {
    const names = data.names, C = names.length, y = data.y;
    const root = el("div", { class: "cl", "data-testid": "cevis-live" }, host);
    const read = el("div", { class: "cl-read" }, root);
    const rLoss = readout(read, "Loss −log p(y)", "cevis-live-loss");
    const rPy = readout(read, `p(${names[y]})`, "cevis-live-py");
    const rPred = readout(read, "Predicted class", "cevis-live-pred");
    const main = el("div", { class: "cl-main" }, root);
    const table = el("div", { class: "cl-table", role: "group", "aria-label": "Each class: logit, probability, gradient" }, main);
    for (const [t, wide] of [["Class", 0], ["Logit z (drag)", 0], ["p = softmax(z / T)", 1], ["∂L/∂z", 1]]) {
      el("div", { class: "cl-h" + (wide ? " cl-wide" : "") + (t === "Class" ? "" : " cl-span2") }, table, t);
    }
    const rows = names.map((n, j) => classRow(table, n, j === y, j));
    const side = el("div", { class: "cl-side" }, main);
    const curve = buildCurve(side);
    const controls = el("div", { class: "cl-controls" }, root);
    const temp = controlRow(controls, "Temperature T", "temperature T");
    const shift = controlRow(controls, "Shift all logits by", "shift all logits by s");
    el("p", { class: "cl-legend" }, root,
      "✓ true class (hatched bar) · ↑ a gradient-descent step raises that logit, ↓ lowers it · " +
      "dashed mark: p at T = 1 · shifting every logit by the same s leaves p and the loss unchanged " +
      "(the shift starts at 0 each time; it stops where a logit would leave the sliders' range).");
    const numbers = el("div", { class: "cl-numbers" }, root);
    const glance = classTableView(numbers, names, y);
    const formulas = formulaView(numbers, names, y, data.full_sum, data.row_vectors);
    const voice = announcer(root);
    const linkNote = el("p", { class: "cl-linknote", "aria-live": "polite", "data-testid": "cevis-live-link-note" }, formulas.box);
    const S = { data, A: null, mode: "rest", k: 0, i: 0, active: false, shown: null };
    curve.dot.setAttribute("data-class", String(y)); curve.dot.setAttribute("data-what", "loss");
    // what a lit class's terms are, in words, with the numbers of the frame on screen
    const describe = (j, what) => {
      const v = S.shown, name = names[j], truth = j === y ? ", the true class" : "";
      const g = fmt(v.g[j], 4, true), arrow = v.g[j] < 0 ? "a descent step raises its logit" : "a descent step lowers its logit";
      const lead = what === "loss" ? `The loss ${fmt(v.loss, 4)} = −log p(${name}), the point on the −log p curve. ` : "";
      return `${lead}${name}${truth}: logit ${fmt(v.z[j], 2)}, p = ${fmt(v.p[j], 4)} (its bar under p), ` +
        `∂L/∂z = ${g} (its gradient bar: ${arrow}), loss if it were true ${fmt(v.nl[j], 4)}.`;
    };
    linkTerms(root, linkNote, describe);

    // A table [R rows, C classes] is stored class by class: class j of row r is at j * R + r.
    function state() {
      const A = S.A, rest = A["current.z"];
      if (S.mode === "handle") {
        const z = Array.from(rest); z[S.k] = A.grid[S.i];
        return { src: "handles", r: S.k * A.grid.length + S.i, z, T: S.data.T, s: 0 };
      }
      if (S.mode === "temp") return { src: "temps", r: S.i, z: rest, T: A.tgrid[S.i], s: 0 };
      if (S.mode === "shift") {
        const R = A.sgrid.length, r = A.spos[S.i], z = names.map((_, j) => A["shifts.z"][j * R + r]);
        return { src: "shifts", r, z, T: S.data.T, s: A.sgrid[r] };
      }
      return { src: "current", r: 0, z: rest, T: S.data.T, s: 0 };
    }

    // class j's value of a [R, C] table at row r (stored class by class)
    const column = (name, R, r) => { const a = S.A[name]; return names.map((_, j) => a[j * R + r]); };
    function scaledLogits(st, R) {
      if (st.src !== "handles") return column(st.src + ".zt", R, st.r);
      const zt = Array.from(S.A["current.zt"]);
      zt[S.k] = S.A["handles.zt"][S.i];
      return zt;
    }
    function summary(st) {
      const A = S.A, R = A[st.src + ".l"].length, pred = A[st.src + ".y"][st.r];
      return `Loss ${fmt(A[st.src + ".l"][st.r], 4)}, p(${names[y]}) ${fmt(A[st.src + ".p"][y * R + st.r], 4)}, ` +
        (pred < 0 ? "a tie for the top" : `predicted ${names[pred]}, ${pred === y ? "correct" : "wrong"}`);
    }

    function draw() {
      const A = S.A, st = state(), P = A[st.src + ".p"], G = A[st.src + ".g"], r = st.r;
      const R = A[st.src + ".l"].length, loss = A[st.src + ".l"][r], pred = A[st.src + ".y"][r];
      const gscale = S.gscale, grid = A.grid;
      rLoss.v.textContent = fmt(loss, 4);
      rPy.v.textContent = fmt(P[y * R + r], 4);
      rPred.v.textContent = pred < 0 ? "a tie" : `${names[pred]} ${pred === y ? "✓ correct" : "✗ wrong"}`;
      rPred.v.className = "cl-v " + (pred === y ? "cl-ok" : "cl-bad");
      // the T = 1 ghost: the sample's, or the dragged logit's row of the T = 1 table
      const ghostOn = st.T !== 100 && (S.mode !== "handle" || A["hghost.p"] !== undefined);
      const ghost = S.mode === "handle" ? A["hghost.p"] : A["ghost.p"], gR = S.mode === "handle" ? R : 1;
      for (let j = 0; j < C; j++) {
        const row = rows[j], z = st.z[j], p = P[j * R + r], g = G[j * R + r];
        row.handle.style.left = `${along(grid, z) * 100}%`;
        row.fill.style.transform = `scaleX(${(along(grid, z) - S.zero) * 2})`;
        row.zval.textContent = fmt(z, 2);
        setSlider(row.handle, ASCII(fmt(z, 2)), `${fmt(z, 2)}, p = ${fmt(p, 4)}`);
        row.pbar.style.transform = `scaleX(${p / 10000})`;
        row.pval.textContent = fmt(p, 4);
        row.ghost.style.display = ghostOn ? "" : "none";
        if (ghostOn) row.ghost.style.left = `${ghost[j * gR + (gR === 1 ? 0 : r)] / 100}%`;
        row.gbar.style.transform = `scaleX(${Math.max(-1, Math.min(1, g / gscale))})`;
        row.gbar.className = "cl-gbar " + (g < 0 ? "cl-neg" : "cl-pos");
        row.gval.textContent = fmt(g, 4, true) + (g < 0 ? " ↑" : g > 0 ? " ↓" : "");
      }
      const pTrue = P[y * R + r], cx = curveX(pTrue), cy = curveY(loss);
      curve.dot.setAttribute("cx", cx); curve.dot.setAttribute("cy", cy);
      curve.gx.setAttribute("x1", cx); curve.gx.setAttribute("x2", cx);
      curve.gx.setAttribute("y1", cy); curve.gx.setAttribute("y2", CURVE.bottom);
      curve.gy.setAttribute("x1", CURVE.left); curve.gy.setAttribute("x2", cx);
      curve.gy.setAttribute("y1", cy); curve.gy.setAttribute("y2", cy);
      // beyond the axis the point waits at the top edge, and the label says where it is
      curve.label.textContent = loss > CURVE.ymax ? `▲ off the chart: L = ${fmt(loss, 4)}` : `L = ${fmt(loss, 4)}`;
      curve.label.setAttribute("x", Math.min(cx + 10, CURVE.right - (loss > CURVE.ymax ? 190 : 80)));
      curve.label.setAttribute("y", cy < CURVE.top + 30 ? cy + 22 : cy - 10); // clear of the axis title
      temp.handle.style.left = `${along(A.tgrid, st.T) * 100}%`;
      temp.val.textContent = fmt(st.T, 2);
      setSlider(temp.handle, ASCII(fmt(st.T, 2)), `T = ${fmt(st.T, 2)}`);
      shift.handle.style.left = `${along(A.sym, st.s) * 100}%`; // 0 sits in the middle
      shift.val.textContent = fmt(st.s, 2, true);
      setSlider(shift.handle, ASCII(fmt(st.s, 2)), `every logit plus ${fmt(st.s, 2)}`);
      const p = column(st.src + ".p", R, r), g = column(st.src + ".g", R, r);
      const nl = column(st.src + ".nl", R, r);
      glance.update(st.z, p, g, nl);
      S.shown = { z: st.z, p, g, nl, loss };
      formulas.update({ zt: scaledLogits(st, R), den: A[st.src + ".den"]?.[r], T: st.T, p, g, loss });
      if (S.active) voice.later(summary(st)); // a pause in a held drag is read out
    }
    const frame = frameLoop(draw);
    // While a handle is held (pointer or key), a render from the server waits: the drag
    // keeps the tables it started with; the rerun its release causes brings the next ones.
    const enter = (mode, k) => (i, stamp) => { S.mode = mode; S.k = k; S.i = i; S.active = true; frame(stamp); };
    const send = () => {
      const st = state();
      S.active = false;
      voice.now(summary(st)); // said once, on release
      commit({ z: Array.from(st.z), T: st.T });
    };
    const index = (mode, k, fallback) => () => (S.mode === mode && S.k === k ? S.i : fallback());
    rows.forEach((row, k) => makeSlider({ track: row.track, handle: row.handle, count: () => S.A.grid.length,
      page: 10, move: enter("handle", k), commit: send,
      position: index("handle", k, () => gridIndex(S.A.grid, S.A["current.z"][k])) }));
    makeSlider({ track: temp.track, handle: temp.handle, count: () => S.A.tgrid.length, page: 10,
      move: enter("temp", 0), commit: send, position: index("temp", 0, () => gridIndex(S.A.tgrid, S.data.T)) });
    makeSlider({ track: shift.track, handle: shift.handle, count: () => S.A.spos.length, page: 10,
      move: enter("shift", 0), commit: send, position: index("shift", 0, () => S.A.sym.indexOf(0)) });

    return {
      root,
      update(d, A) {
        if (S.active) return; // mid-drag; see enter() above
        S.data = d; S.A = A; S.mode = "rest";
        S.gscale = d.gscale; // a gradient bar is full at max(1, 1/T), in 1e-4
        S.zero = along(A.grid, 0);
        const ends = (g) => [ASCII(fmt(g[0], 2)), ASCII(fmt(g[g.length - 1], 2))];
        for (const row of rows) [row.handle.ariaValueMin, row.handle.ariaValueMax] = ends(A.grid);
        [temp.handle.ariaValueMin, temp.handle.ariaValueMax] = ends(A.tgrid);
        [shift.handle.ariaValueMin, shift.handle.ariaValueMax] = ends(A.sgrid);
        // the shift track: 0 in the middle; the reachable part drawn, the rest greyed out
        shift.reach.style.left = `${along(A.sym, A.sgrid[0]) * 100}%`;
        shift.reach.style.right = `${(1 - along(A.sym, A.sgrid[A.sgrid.length - 1])) * 100}%`;
        let pts = "";
        for (let i = 0; i < A["curve.p"].length; i++) {
          pts += `${i ? "L" : "M"}${curveX(A["curve.p"][i]).toFixed(1)},${curveY(A["curve.l"][i]).toFixed(1)}`;
        }
        curve.path.setAttribute("d", pts);
        draw();
      },
    };
  },
};

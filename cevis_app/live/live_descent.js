// ==== live_descent.js: the descent player (uses the core only) ====
// The server computes the steps with cevis, a chunk at a time; this plays them. One step
// counter (the transport's T.at) is the truth for the bars, the numbers, the loss path and
// the caption. A pause reports the step, so a change of η (or the loss, ε, T) continues from it.

const DPLOT = { w: 520, h: 210, left: 46, right: 505, top: 20, bottom: 176 };

const descentView = {
  shape: (d) => JSON.stringify([d.names, d.y]),
  build(host, data, commit) {
    const names = data.names, C = names.length, y = data.y;
    const root = el("div", { class: "cl cl-player", "data-testid": "cevis-live", tabindex: "0",
      role: "group", "aria-label": "Gradient descent player: space plays or pauses, arrow keys step" }, host);
    const S = { data, A: null };
    const caption = () => {
      const A = S.A, k = T.at;
      return `At step ${k}: loss ${fmt(A.l[k], 4)}, p of the true class ${fmt(A.p[y * (T.last + 1) + k], 4)}.`;
    };
    const T = transport(root, { unit: "step", draw: () => draw(), commit, say: caption, reset: null });
    const body = el("div", { class: "cl-pbody" }, root); // readouts beside the chart when wide
    const read = el("div", { class: "cl-read" }, body);
    const rStep = readout(read, "Step", "cevis-descent-step");
    const rLoss = readout(read, "Loss", "cevis-descent-loss");
    const rPy = readout(read, `p(${names[y]})`, "cevis-descent-py");
    const rEta = readout(read, "η", "cevis-descent-eta");
    const svg = el("svg:svg", { class: "cl-svg cl-dplot", viewBox: `0 0 ${DPLOT.w} ${DPLOT.h}`, role: "img",
      "aria-label": "The loss at each step so far; dashed lines mark where a setting changed" }, body);
    el("svg:line", { class: "cl-axis", x1: DPLOT.left, x2: DPLOT.right, y1: DPLOT.bottom, y2: DPLOT.bottom }, svg);
    el("svg:line", { class: "cl-axis", x1: DPLOT.left, x2: DPLOT.left, y1: DPLOT.top, y2: DPLOT.bottom }, svg);
    el("svg:text", { x: DPLOT.left + 6, y: DPLOT.top - 6 }, svg, "loss");
    const xEnd = el("svg:text", { x: DPLOT.right, y: DPLOT.bottom + 18, "text-anchor": "end" }, svg);
    el("svg:text", { x: DPLOT.left + 2, y: DPLOT.bottom + 18, "text-anchor": "start" }, svg, "0"); // clear of the y axis 0
    el("svg:text", { x: (DPLOT.left + DPLOT.right) / 2, y: DPLOT.h - 2, "text-anchor": "middle" }, svg, "step");
    const yTop = el("svg:text", { x: DPLOT.left - 6, y: DPLOT.top + 5, "text-anchor": "end" }, svg);
    el("svg:text", { x: DPLOT.left - 6, y: DPLOT.bottom - 2, "text-anchor": "end" }, svg, "0");
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
    const note = el("p", { class: "cl-legend", "data-testid": "cevis-descent-caption" }, root);

    const segmentAt = (k) => {
      let seg = S.data.segments[0];
      for (const s of S.data.segments) if (s.start <= k) seg = s;
      return seg;
    };
    const x = (k) => DPLOT.left + (k / Math.max(1, T.last)) * (DPLOT.right - DPLOT.left);
    const ly = (l) => DPLOT.bottom - (Math.min(l, S.data.ltop) / S.data.ltop) * (DPLOT.bottom - DPLOT.top);

    function draw() {
      if (!S.A) return;
      const A = S.A, k = T.at, N = T.last + 1;
      rStep.v.textContent = `${k}`;
      rLoss.v.textContent = fmt(A.l[k], 4);
      rPy.v.textContent = fmt(A.p[y * N + k], 4);
      rEta.v.textContent = segmentAt(k).eta;
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
      note.textContent = caption();
    }

    return {
      root,
      update(d, A) {
        S.data = d; S.A = A;
        xEnd.textContent = String(d.last);
        yTop.textContent = d.ltop_text;
        T.load(d, d.last, d.max_steps);
        segmentMarks(marks, d.segments, x, DPLOT.top, DPLOT.bottom, (s) => `η = ${s.eta}`); // at T.last's scale
      },
    };
  },
};

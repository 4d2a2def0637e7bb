// ==== live_training.js: the training player (uses the core only) ====
// The server trains the epochs (cevis's loss and gradient), a chunk at a time; this plays
// them: the epoch counter, the four scores, the loss and accuracy curves growing up to it and
// the decision regions of that epoch under the flowers. Train / Pause / Step / Reset.

const TPLOT = { w: 340, h: 200, left: 44, right: 328, top: 22, bottom: 168 };
const REGION_FILL = [[214, 228, 245], [250, 224, 204], [212, 236, 218], [236, 226, 244]]; // light, per class
const MARKS = ["circle", "square", "diamond", "triangle"]; // species by shape as well as colour

function curveFrame(parent, label, yTop) {
  const svg = el("svg:svg", { class: "cl-svg cl-tplot", viewBox: `0 0 ${TPLOT.w} ${TPLOT.h}`, role: "img",
    "aria-label": label }, parent);
  el("svg:line", { class: "cl-axis", x1: TPLOT.left, x2: TPLOT.right, y1: TPLOT.bottom, y2: TPLOT.bottom }, svg);
  el("svg:line", { class: "cl-axis", x1: TPLOT.left, x2: TPLOT.left, y1: TPLOT.top, y2: TPLOT.bottom }, svg);
  el("svg:text", { x: TPLOT.left + 6, y: TPLOT.top - 8 }, svg, label.split(":")[0]);
  el("svg:text", { x: TPLOT.left - 6, y: TPLOT.bottom - 2, "text-anchor": "end" }, svg, "0");
  const top = el("svg:text", { x: TPLOT.left - 6, y: TPLOT.top + 5, "text-anchor": "end" }, svg, yTop);
  el("svg:text", { x: TPLOT.left + 2, y: TPLOT.bottom + 18, "text-anchor": "start" }, svg, "0"); // clear of the y axis 0
  const end = el("svg:text", { x: TPLOT.right, y: TPLOT.bottom + 18, "text-anchor": "end" }, svg);
  const marks = el("svg:g", {}, svg);
  const train = el("svg:path", { class: "cl-curve" }, svg);
  const held = el("svg:path", { class: "cl-curve0" }, svg);
  return { svg, top, end, marks, train, held };
}

function flowerMark(parent, shape, x, y, cls) {
  const r = 5;
  if (shape === "circle") return el("svg:circle", { cx: x, cy: y, r, class: cls }, parent);
  if (shape === "square") return el("svg:rect", { x: x - r, y: y - r, width: 2 * r, height: 2 * r, class: cls }, parent);
  const pts = shape === "diamond" ? [[x, y - r - 1], [x + r + 1, y], [x, y + r + 1], [x - r - 1, y]]
    : [[x, y - r - 1], [x + r + 1, y + r], [x - r - 1, y + r]];
  return el("svg:polygon", { points: pts.map((p) => p.join(",")).join(" "), class: cls }, parent);
}

const trainingView = {
  shape: (d) => JSON.stringify([d.species, d.grid]),
  build(host, data, commit) {
    const species = data.species;
    const root = el("div", { class: "cl cl-player", "data-testid": "cevis-live", tabindex: "0",
      role: "group", "aria-label": "Training player: space trains or pauses, arrow keys step an epoch" }, host);
    const S = { data, A: null };
    const say = () => `Epoch ${T.at}: training loss ${fmt(S.A.tl[T.at], 4)}, held-out accuracy ${fmt(S.A.va[T.at], 1)}%.`;
    const T = transport(root, { unit: "epoch", play: "▶ Train", draw: () => draw(), commit, say, reset: "↺ Reset" });
    const read = el("div", { class: "cl-read" }, root);
    const rEpoch = readout(read, "Epoch", "cevis-training-epoch");
    const rTl = readout(read, "Training loss", "cevis-training-loss");
    const rVl = readout(read, "Held-out loss", "cevis-training-heldout-loss");
    const rTa = readout(read, "Training accuracy", "cevis-training-accuracy");
    const rVa = readout(read, "Held-out accuracy", "cevis-training-heldout-accuracy");
    const rEta = readout(read, "η, λ", "cevis-training-settings");
    const charts = el("div", { class: "cl-tcharts" }, root);
    const loss = curveFrame(charts, "loss: training (solid) and held out (dashed), per epoch so far", "");
    const acc = curveFrame(charts, "accuracy: training (solid) and held out (dashed), per epoch so far", "100%");
    const box = el("div", { class: "cl-regions" }, charts);
    const canvas = el("canvas", { width: data.grid, height: data.grid, class: "cl-canvas",
      role: "img", "aria-label": "Decision regions at this epoch, with the flowers" }, box);
    const over = el("svg:svg", { class: "cl-over", viewBox: "0 0 400 400", "aria-hidden": "true" }, box);
    const legend = el("p", { class: "cl-legend" }, root);
    legend.textContent = species.map((s, k) => `${["●", "■", "◆", "▲"][k]} ${s}`).join(" · ")
      + " · hollow: held out · the shaded regions: the class the model predicts there at this epoch.";
    const caption = el("p", { class: "cl-legend", "data-testid": "cevis-training-caption" }, root);
    const ctx = canvas.getContext("2d");
    const image = ctx.createImageData(data.grid, data.grid);

    const xs = (k) => TPLOT.left + (k / Math.max(1, T.last)) * (TPLOT.right - TPLOT.left);
    const ys = (v, top) => TPLOT.bottom - (Math.min(v, top) / top) * (TPLOT.bottom - TPLOT.top);
    const series = (a, k, top) => {
      let d = "";
      for (let i = 0; i <= k; i++) d += `${i ? "L" : "M"}${xs(i).toFixed(1)},${ys(a[i], top).toFixed(1)}`;
      return d;
    };
    const segmentAt = (k) => {
      let seg = S.data.segments[0];
      for (const s of S.data.segments) if (s.start <= k) seg = s;
      return seg;
    };

    function flowers() {
      over.textContent = "";
      const A = S.A, [x0, x1, y0, y1] = S.data.extent;
      for (let i = 0; i < A.sx.length; i++) {
        const x = ((A.sx[i] - x0) / (x1 - x0)) * 400, y = 400 - ((A.sy[i] - y0) / (y1 - y0)) * 400;
        flowerMark(over, MARKS[A.sl[i] % MARKS.length], x, y, `cl-flower cl-c${A.sl[i]}${A.sh[i] ? " cl-held" : ""}`);
      }
    }
    function draw() {
      if (!S.A) return;
      const A = S.A, k = T.at, G = S.data.grid, seg = segmentAt(k);
      rEpoch.v.textContent = String(k);
      rTl.v.textContent = fmt(A.tl[k], 4);
      rVl.v.textContent = fmt(A.vl[k], 4);
      rTa.v.textContent = `${fmt(A.ta[k], 1)}%`;
      rVa.v.textContent = `${fmt(A.va[k], 1)}%`;
      rEta.v.textContent = `${seg.eta}, ${seg.l2}`;
      loss.train.setAttribute("d", series(A.tl, k, S.data.ltop));
      loss.held.setAttribute("d", series(A.vl, k, S.data.ltop));
      acc.train.setAttribute("d", series(A.ta, k, 1000));
      acc.held.setAttribute("d", series(A.va, k, 1000));
      const cells = A.regions.subarray(k * G * G, (k + 1) * G * G);
      for (let iy = 0; iy < G; iy++) {
        for (let ix = 0; ix < G; ix++) {
          const c = REGION_FILL[cells[iy * G + ix] % REGION_FILL.length], o = ((G - 1 - iy) * G + ix) * 4;
          image.data[o] = c[0]; image.data[o + 1] = c[1]; image.data[o + 2] = c[2]; image.data[o + 3] = 255;
        }
      }
      ctx.putImageData(image, 0, 0);
      caption.textContent = say();
    }

    return {
      root,
      update(d, A) {
        S.data = d; S.A = A;
        loss.top.textContent = d.ltop_text;
        for (const f of [loss, acc]) f.end.textContent = String(d.last);
        flowers();
        T.load(d, d.last, d.max_epochs);
        for (const f of [loss, acc]) {
          segmentMarks(f.marks, d.segments, xs, TPLOT.top, TPLOT.bottom, (s) => `η = ${s.eta}, λ = ${s.l2}`);
        }
      },
    };
  },
};

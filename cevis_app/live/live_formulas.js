// ==== live_formulas.js: the formulas with numbers (MathML) and the class table ====
// Both follow the pointer: each frame passes the numbers of the dragged state's row, looked
// up in cevis's tables (p, dL/dz, -log p_j, z/T and the softmax sum, all from the server).
// The formulas read as text/formulas.py writes them for the server's page; names are text
// nodes (<mtext>), never markup.

function m(tag, parent, text, attrs) { return el("m:" + tag, attrs, parent, text); }

// e^{x}: returns the <mn> that holds x
function power(parent) {
  const sup = m("msup", parent);
  m("mi", sup, "e");
  return m("mn", sup, "");
}

// z_{name}/T (or z_name at T = 1) as an exponent of e
function symbolicPower(parent, sub, overT) {
  const sup = m("msup", parent);
  m("mi", sup, "e");
  const row = m("mrow", sup);
  const zs = m("msub", row);
  m("mi", zs, "z");
  if (sub === null) m("mi", zs, "j"); else m("mtext", zs, sub);
  if (overT) { m("mo", row, "/"); m("mi", row, "T"); }
}

// [v_0 v_1 ...] as a row, or as a column: returns its <mn> cells. The brackets are the
// table's CSS borders (.cl-vec): a stretched <mo>[</mo> needs a math font the reader may lack.
function vector(parent, count, column) {
  const table = m("mtable", parent, undefined, { class: "cl-vec" });
  const cells = [];
  let tr = column ? null : m("mtr", table);
  for (let j = 0; j < count; j++) {
    if (column) tr = m("mtr", table);
    cells.push(m("mn", m("mtd", tr), ""));
  }
  return cells;
}

// One formula as a line of <math> pieces, each after the first starting at its "=" (or a "−"
// between vectors): a box narrower than the formula wraps it between pieces, as a typeset
// equation continues on the next line, instead of cutting a number at its edge (Chromium's
// MathML never breaks a line itself). first: the first piece; next(op): a new piece, op first.
function mathLine(parent, label) {
  const line = el("div", { class: "cl-eq", role: "group", "aria-label": label }, parent);
  const piece = () => m("math", line, undefined, { display: "block" });  // fractions full size
  // form="infix": an operator first in its <math> would otherwise be a prefix, without spacing
  return { first: piece(), next(op = "=") { const p = piece(); m("mo", p, op, { form: "infix" }); return p; } };
}

function fillCells(cells, values, decimals, sign) {
  for (let j = 0; j < cells.length; j++) cells[j].textContent = fmt(values[j], decimals, sign);
}

// The three formulas of one sample; update(v) writes a state's numbers into them.
function formulaView(parent, names, y, fullSum, rowsUpTo) {
  const box = el("div", { class: "cl-formulas", "data-testid": "cevis-live-formulas" }, parent);
  el("div", { class: "cl-sub", role: "heading", "aria-level": "3" }, box, "The formulas, with your numbers");
  // it scrolls sideways when the formulas are wider than the page: the keyboard can reach it
  // (axe-core's scrollable-region-focusable)
  const lines = el("div", { class: "cl-math", tabindex: "0", role: "group",
    "aria-label": "The formulas, with your numbers" }, box);
  const C = names.length, name = names[y];
  let shape = null, f = null;

  function build(overT) {
    lines.textContent = "";
    const softmax = mathLine(lines, "softmax");
    let s = softmax.first;
    const ps = m("msub", s); m("mi", ps, "p"); m("mtext", ps, name);
    s = softmax.next();
    const frac = m("mfrac", s);
    symbolicPower(frac, name, overT);
    const sum = m("mrow", frac);
    const under = m("munder", sum); m("mo", under, "∑"); m("mi", under, "j");
    symbolicPower(sum, null, overT);
    s = softmax.next();
    const numbers = m("mfrac", s);
    const top = power(numbers);
    const bottom = m("mrow", numbers);
    const terms = [];
    let den = null;
    if (C <= fullSum) {
      for (let j = 0; j < C; j++) {
        if (j) m("mo", bottom, "+");
        terms.push(power(bottom));
      }
    } else {
      den = m("mn", bottom, "");
    }
    const py = m("mn", softmax.next(), "", { "data-testid": "cevis-live-formula-p" });

    const loss = mathLine(lines, "loss");
    let l = loss.first;
    m("mi", l, "L");
    l = loss.next();
    m("mo", l, "−"); m("mi", l, "log");
    const lp = m("msub", l); m("mi", lp, "p"); m("mtext", lp, name);
    l = loss.next(); m("mo", l, "−"); m("mi", l, "log"); m("mo", l, "(");
    const lpy = m("mn", l, "");
    m("mo", l, ")");
    const lossValue = m("mn", loss.next(), "", { "data-testid": "cevis-live-formula-loss" });

    const gradient = mathLine(lines, "gradient");
    let g = gradient.first;
    const d = m("mfrac", g);
    m("mi", d, "∂L"); m("mi", d, "∂z");
    g = gradient.next();
    const pe = () => {
      const r = m("mrow", g);
      m("mi", r, "p"); m("mo", r, "−"); m("mi", r, "onehot"); m("mo", r, "("); m("mi", r, "y"); m("mo", r, ")");
      return r;
    };
    if (overT) {
      const q = m("mfrac", g); q.appendChild(pe()); m("mi", q, "T");
    } else pe();
    g = gradient.next();
    const column = C > rowsUpTo || overT;
    let t = null, pv, ev;
    if (overT) {  // 1/T ( p − e ): one piece, its parentheses drawn by CSS, as the brackets
      const inv = m("mfrac", g); m("mn", inv, "1"); t = m("mn", inv, "");
      const inner = m("mrow", g, undefined, { class: "cl-paren" });
      pv = vector(inner, C, column);
      m("mo", inner, "−");
      ev = vector(inner, C, column);
    } else {
      pv = vector(g, C, column);
      ev = vector(gradient.next("−"), C, column);
    }
    ev.forEach((c, j) => { c.textContent = j === y ? "1" : "0"; });
    const gv = vector(gradient.next(), C, column);
    f = { top, terms, den, py, lpy, loss: lossValue, t, pv, gv };
    // linked terms: each names a class's p, its gradient, or the loss (see linkTerms)
    const tag = (node, cls, what) => { node.setAttribute("data-class", String(cls)); node.setAttribute("data-what", what); };
    tag(top.parentNode, y, "p"); tag(py, y, "p"); tag(lpy, y, "p");
    terms.forEach((t, j) => tag(t.parentNode, j, "p"));
    pv.forEach((c, j) => tag(c, j, "p"));
    ev.forEach((c, j) => tag(c, j, "p"));
    gv.forEach((c, j) => tag(c, j, "g"));
    tag(lossValue, y, "loss");
  }

  return {
    box,
    // v: zt [C] (z/T in 1e-2), den (text, beyond fullSum classes), T (1e-2), p, g [C] (1e-4), loss
    update(v) {
      const overT = v.T !== 100;
      if (shape !== overT) { shape = overT; build(overT); }
      f.top.textContent = fmt(v.zt[y], 2);
      for (let j = 0; j < f.terms.length; j++) f.terms[j].textContent = fmt(v.zt[j], 2);
      if (f.den) f.den.textContent = v.den.replace("-", MINUS);
      f.py.textContent = fmt(v.p[y], 4);
      f.lpy.textContent = fmt(v.p[y], 4);
      f.loss.textContent = fmt(v.loss, 4);
      if (f.t) f.t.textContent = fmt(v.T, 2);
      fillCells(f.pv, v.p, 4);
      fillCells(f.gv, v.g, 4);
    },
  };
}

// "Every class at a glance": a plain table (also the view's text alternative).
function classTableView(parent, names, y) {
  const box = el("div", { class: "cl-glance" }, parent);
  const table = el("table", { class: "cl-ctable", "data-testid": "cevis-live-table" }, box);
  el("caption", {}, table, "Every class at a glance");
  const head = el("tr", {}, el("thead", {}, table));
  for (const h of ["class", "z", "p", "∂L/∂z", "loss if true"]) el("th", { scope: "col" }, head, h);
  const body = el("tbody", {}, table);
  const rows = names.map((n, j) => {
    // a row is a tab stop: focusing it lights the class's bars and formula terms (linkTerms)
    const tr = el("tr", { class: j === y ? "cl-true" : "", tabindex: "0", "data-class": String(j),
      "data-what": "row" }, body);
    el("th", { scope: "row" }, tr, j === y ? `${n} ✓` : n);
    return [0, 1, 2, 3].map(() => el("td", {}, tr, ""));
  });
  el("p", { class: "cl-legend" }, box,
    "✓ marks the true class; loss if true is −log p of a class, the loss if it were the true one.");
  return {
    box,
    // z [C] in 1e-2; p, g, nl [C] in 1e-4
    update(z, p, g, nl) {
      for (let j = 0; j < rows.length; j++) {
        const r = rows[j];
        r[0].textContent = fmt(z[j], 2);
        r[1].textContent = fmt(p[j], 4);
        r[2].textContent = fmt(g[j], 4, true);
        r[3].textContent = fmt(nl[j], 4);
      }
    },
  };
}

// Linked terms: hovering or focusing anything that names a class (data-class: a formula term,
// a bar, a table row) lights every element naming it, and the note under the formulas says
// in words what it is (the text alternative). The loss links the point on −log p too.
function linkTerms(root, note, describe) {
  let lit = null;
  const light = (target) => {
    const node = target && target.closest ? target.closest("[data-class]") : null;
    const key = node ? node.getAttribute("data-class") : null;
    if (key === lit) return;
    for (const n of root.querySelectorAll(".cl-lit")) n.classList.remove("cl-lit");
    lit = key;
    if (key === null) { note.textContent = ""; return; }
    for (const n of root.querySelectorAll(`[data-class="${key}"]`)) n.classList.add("cl-lit");
    note.textContent = describe(Number(key), node.getAttribute("data-what"));
  };
  root.addEventListener("pointerover", (e) => { if (e.pointerType !== "touch") light(e.target); });
  root.addEventListener("pointerleave", () => light(null));
  root.addEventListener("focusin", (e) => light(e.target));
  root.addEventListener("focusout", (e) => { if (!root.contains(e.relatedTarget)) light(null); });
  return () => light(null);
}

// ==== live_core.js: shared helpers of every view (decode, elements, sliders, frame loop) ====
// The live component is one ES module made of sections, concatenated in this order by
// component.py: live_core.js (helpers only), live_formulas.js (formulas and class table),
// one file per view (live_multiclass.js, live_binary.js; each uses only the core and the
// formulas, never the other view), and live_main.js (the entry point, which names the views).
// The browser does no maths: every number shown is looked up in the tables cevis computed
// (integers in units of the shown precision) and printed; positions are only scaled to pixels.
// Grids, ranges and steps come in the payload (views/live_payload.py), never written here.

const SVGNS = "http://www.w3.org/2000/svg";
const MATHNS = "http://www.w3.org/1998/Math/MathML";
const MINUS = "\u2212";
const PAYLOAD_VERSION = 2; // views/live_payload.py's PAYLOAD_VERSION: the decoder reads that layout
const ANNOUNCE_AFTER_MS = 700; // a held drag that pauses this long is read out (aria-live)

function el(tag, attrs, parent, text) {
  const node = tag.startsWith("svg:") ? document.createElementNS(SVGNS, tag.slice(4))
    : tag.startsWith("m:") ? document.createElementNS(MATHNS, tag.slice(2))
    : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  if (parent) parent.appendChild(node);
  return node;
}

// An integer n in units of 10^-d printed with d decimals (string work only, exact).
function fmt(n, d, sign) {
  const a = Math.abs(n), s = String(a).padStart(d + 1, "0");
  const body = d ? s.slice(0, -d) + "." + s.slice(-d) : s;
  return (n < 0 ? MINUS : sign && n > 0 ? "+" : "") + body;
}

const ASCII = (s) => s.replaceAll(MINUS, "-");

// A grid value's place along its track, 0..1 (positions are scaled to pixels, nothing more).
function along(grid, v) {
  const span = grid[grid.length - 1] - grid[0];
  return span ? (v - grid[0]) / span : 0.5;
}

// The (fractional) index of value v on an evenly spaced grid: where a key press starts from.
function gridIndex(grid, v) {
  return grid.length > 1 ? (v - grid[0]) / (grid[1] - grid[0]) : 0;
}

const TYPES = { i1: Int8Array, u2: Uint16Array, i2: Int16Array, i4: Int32Array };

async function decodePayload(data) {
  if (data.v !== PAYLOAD_VERSION) {
    throw new Error(`payload version ${data.v}, this page reads version ${PAYLOAD_VERSION}`);
  }
  const bin = Uint8Array.from(atob(data.blob), (c) => c.charCodeAt(0));
  const stream = new Blob([bin]).stream().pipeThrough(new DecompressionStream("deflate"));
  const buf = await new Response(stream).arrayBuffer();
  const out = {};
  for (const [name, [kind, offset, count]] of Object.entries(data.index)) {
    if (kind === "utf8") {
      out[name] = new TextDecoder().decode(new Uint8Array(buf, offset, count)).split("\n");
      continue;
    }
    // the server sends byte planes (all low bytes, then all high bytes): put them back
    const size = TYPES[kind].BYTES_PER_ELEMENT, planes = new Uint8Array(buf, offset, count * size);
    const bytes = new Uint8Array(count * size);
    for (let b = 0; b < size; b++) {
      for (let i = 0; i < count; i++) bytes[i * size + b] = planes[b * count + i];
    }
    out[name] = new TYPES[kind](bytes.buffer);
  }
  return out;
}

// A slider over `count` grid positions: pointer (mouse, pen, touch) on `track`, keys on
// `handle`. move(i) shows position i; commit() sends the value once, on release.
function makeSlider(o) {
  const step = o.page || 10;
  let rect = null, pointer = null, changed = false;
  const vertical = o.orient === "v";
  const count = () => (typeof o.count === "function" ? o.count() : o.count);
  const at = (e) => {
    const f = vertical ? 1 - (e.clientY - rect.top) / rect.height : (e.clientX - rect.left) / rect.width;
    return Math.round(f * (count() - 1));
  };
  const go = (i, stamp) => {
    i = Math.max(0, Math.min(count() - 1, i));
    changed = true;
    o.move(i, stamp);
  };
  const finish = () => {
    o.handle.classList.remove("cl-active");
    if (changed) { changed = false; o.commit(); }
  };
  o.track.addEventListener("pointerdown", (e) => {
    if (e.button > 0 || pointer !== null) return;
    rect = o.track.getBoundingClientRect();
    pointer = e.pointerId;
    o.track.setPointerCapture(e.pointerId);
    o.handle.focus({ preventScroll: true });
    o.handle.classList.add("cl-active");
    go(at(e), e.timeStamp);
    e.preventDefault();
  });
  o.track.addEventListener("pointermove", (e) => {
    if (e.pointerId === pointer) go(at(e), e.timeStamp);
  });
  const up = (e) => {
    if (e.pointerId !== pointer) return;
    pointer = null;
    finish();
  };
  o.track.addEventListener("pointerup", up);
  o.track.addEventListener("pointercancel", up);
  o.handle.addEventListener("keydown", (e) => {
    const pos = o.position(); // a fractional grid index when the value sits between grid points
    const moves = {
      ArrowRight: Math.floor(pos) + 1, ArrowUp: Math.floor(pos) + 1,
      ArrowLeft: Math.ceil(pos) - 1, ArrowDown: Math.ceil(pos) - 1,
      PageUp: Math.floor(pos) + step, PageDown: Math.ceil(pos) - step,
      Home: 0, End: count() - 1,
    };
    if (!(e.key in moves)) return;
    e.preventDefault();
    o.handle.classList.add("cl-active");
    go(moves[e.key], e.timeStamp);
  });
  o.handle.addEventListener("keyup", (e) => {
    if (["ArrowRight", "ArrowUp", "ArrowLeft", "ArrowDown", "PageUp", "PageDown", "Home", "End"]
      .includes(e.key)) finish();
  });
  o.handle.addEventListener("blur", finish);
}

function setSlider(handle, now, text) {
  handle.setAttribute("aria-valuenow", now);
  handle.setAttribute("aria-valuetext", text);
}

// A readout: a small label over a large number.
function readout(parent, key, testid) {
  const box = el("div", { class: "cl-stat" }, parent);
  const k = el("span", { class: "cl-k" }, box, key);
  const v = el("span", { class: "cl-v", "data-testid": testid }, box);
  return { k, v };
}

// The screen reader's summary (aria-live="polite"): said on release, or when a held drag
// pauses, never on every frame. say() replaces the text only when it changed.
function announcer(parent) {
  const node = el("div", { class: "cl-sr", "aria-live": "polite", "aria-atomic": "true",
    "data-testid": "cevis-live-announce" }, parent);
  let timer = null;
  const say = (text) => { clearTimeout(timer); if (node.textContent !== text) node.textContent = text; };
  return {
    now: say,
    later: (text) => { clearTimeout(timer); timer = setTimeout(() => say(text), ANNOUNCE_AFTER_MS); },
  };
}

// At most one draw per animation frame, however many pointer events arrive.
function frameLoop(draw) {
  let queued = false;
  return () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      draw();
    });
  };
}

// What a failed decode leaves: a plain message in place of a blank view.
function showError(host, store, err) {
  if (store.view) { store.view.root.remove(); store.view = null; }
  if (!store.error) {
    store.error = el("div", { class: "cl cl-error", role: "alert", "data-testid": "cevis-live-error" }, host);
  }
  store.error.textContent = "The live view could not be drawn in this browser (" + String(err && err.message || err)
    + "). The sliders below set the same values; every number on the page still follows them.";
}


// ---- the players' transport (descent, training): frames 0 .. last, extended by the server
const SPEEDS = [1, 2, 4, 8, 16]; // frames per second; 4 is slow enough to talk over
const AHEAD = 10; // frames left when the next chunk is asked for
const REPORT_MS = 350; // a paused step or back is reported once the keys rest this long

// Play, pause, step, back and speed; space and ← → on the player. One counter (T.at) is the
// truth the view draws from. A pause (or a rest after stepping) reports the frame to the
// server (commit {cmd: "pause", step}); nearing the end asks for more ({cmd: "more"}).
// o: { unit ("step"/"epoch"), play (label), draw(), commit(value), say() -> text, reset (label) }
function transport(root, o) {
  const bar = el("div", { class: "cl-transport" }, root);
  const button = (text, aria, testid) => el("button", { type: "button", class: "cl-btn",
    "aria-label": aria, ...(testid ? { "data-testid": testid } : {}) }, bar, text);
  const back = button("← Back", `Back one ${o.unit}`);
  const playText = o.play || "▶ Play";
  const play = button(playText, null, "cevis-player-play");
  play.removeAttribute("aria-label");
  play.classList.add("cl-play");
  const fwd = button("Step →", `Forward one ${o.unit}`);
  const reset = o.reset ? button(o.reset, null, "cevis-player-reset") : null;
  if (reset) reset.removeAttribute("aria-label");
  const speedLabel = el("label", { class: "cl-k" }, bar, "Speed ");
  const speed = el("select", { "aria-label": `Speed, ${o.unit}s per second` }, speedLabel);
  for (const s of SPEEDS) el("option", { value: String(s) }, speed, `${s} ${o.unit}s/s`);
  speed.value = "4";
  const voice = announcer(root);
  const T = { at: 0, playing: false, waiting: false, last: 0, max: 0, speed: 4, clock: null,
    timer: null, sig: null };

  const draw = () => {
    play.textContent = T.playing ? "❚❚ Pause" : playText;
    play.setAttribute("aria-pressed", String(T.playing));
    root.setAttribute("data-step", String(T.at));
    root.setAttribute("data-playing", String(T.playing));
    o.draw();
  };
  const more = () => {
    if (T.waiting || T.last >= T.max) return;
    T.waiting = true;
    o.commit({ cmd: "more", step: T.at });
  };
  const report = () => {
    clearTimeout(T.timer);
    T.timer = setTimeout(() => o.commit({ cmd: "pause", step: T.at }), REPORT_MS);
  };
  function tick(now) {
    if (!T.playing) return;
    if (T.clock === null) T.clock = now;
    if (now - T.clock >= 1000 / T.speed) {
      T.clock = now;
      if (T.at < T.last) { T.at += 1; draw(); } else if (T.last >= T.max) { pause(); return; }
    }
    if (T.last - T.at <= AHEAD) more();
    requestAnimationFrame(tick);
  }
  function start() {
    if (T.playing || T.at >= T.max) return;
    T.playing = true; T.clock = null; draw();
    requestAnimationFrame(tick);
  }
  function pause() {
    if (!T.playing) return;
    T.playing = false; draw();
    voice.now(o.say());
    clearTimeout(T.timer);
    o.commit({ cmd: "pause", step: T.at });
  }
  function stepBy(n) {
    if (T.playing) pause();
    const k = Math.max(0, Math.min(T.last, T.at + n));
    if (k === T.at) { if (n > 0) more(); return; }
    T.at = k; draw(); voice.later(o.say()); report();
    if (T.last - T.at <= AHEAD) more();
  }
  play.addEventListener("click", () => (T.playing ? pause() : start()));
  back.addEventListener("click", () => stepBy(-1));
  fwd.addEventListener("click", () => stepBy(1));
  if (reset) {
    reset.addEventListener("click", () => {
      T.playing = false; clearTimeout(T.timer); T.at = 0; draw();
      o.commit({ cmd: "reset", step: 0 });
    });
  }
  speed.addEventListener("change", () => { T.speed = Number(speed.value); });
  root.addEventListener("keydown", (e) => {
    if (e.target === speed || (e.target.tagName === "BUTTON" && e.key === " ")) return;
    const keys = { " ": () => (T.playing ? pause() : start()), ArrowLeft: () => stepBy(-1),
      ArrowRight: () => stepBy(1) };
    if (!(e.key in keys) || (e.repeat && e.key === " ")) return;
    e.preventDefault();
    keys[e.key]();
  });
  // a payload: more frames of the same run keep the playhead; a new run (or a change continued
  // from a frame) shows the server's frame, paused
  // (refresh: the page's other charts still show the old settings; once this frame is painted
  // it is reported, and that report reruns the page: the player's frame is not kept waiting)
  T.load = (d, last, max) => {
    T.last = last; T.max = max; T.waiting = false;
    const fresh = d.run !== T.sig;
    if (fresh) { T.sig = d.run; T.at = d.at; T.playing = false; }
    T.at = Math.min(T.at, T.last);
    draw();
    if (fresh && d.refresh) {
      requestAnimationFrame(() => setTimeout(() => o.commit({ cmd: "pause", step: T.at }), 0));
    }
  };
  return T;
}

// Where each setting began, as dashed lines with a label over a chart's plot area.
function segmentMarks(group, segments, x, top, bottom, label) {
  group.textContent = "";
  for (const s of segments.slice(1)) {
    el("svg:line", { class: "cl-guide", x1: x(s.start), x2: x(s.start), y1: top, y2: bottom }, group);
    el("svg:text", { x: x(s.start) + 4, y: top + 12, class: "cl-mark" }, group, label(s));
  }
}

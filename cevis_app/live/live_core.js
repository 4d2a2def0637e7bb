// The live component's core: decode the server's tables, draggable sliders, frame loop.
// The browser does no maths: every number shown is looked up in the tables cevis computed
// (integers in units of the shown precision) and printed; positions are only scaled to pixels.

const SVGNS = "http://www.w3.org/2000/svg";
const MINUS = "\u2212";
const BENCH_FRAMES = 4000; // frames kept for bench/bench_live.py when window.__cevisLiveBench is set

function el(tag, attrs, parent, text) {
  const node = tag.startsWith("svg:") ? document.createElementNS(SVGNS, tag.slice(4))
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

const TYPES = { i1: Int8Array, u2: Uint16Array, i2: Int16Array, i4: Int32Array };

async function decodePayload(data) {
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

// One frame per animation frame at most; timings kept for the bench when asked.
function frameLoop(draw, root) {
  let queued = false, since = null;
  return (stamp) => {
    if (since === null && stamp !== undefined) since = stamp;
    if (queued) return;
    queued = true;
    requestAnimationFrame((t) => {
      queued = false;
      const t0 = performance.now();
      draw();
      if (window.__cevisLiveBench) {
        root.getBoundingClientRect(); // style + layout inside the measured work
        const frames = (window.__cevisLiveFrames ||= []);
        if (frames.length < BENCH_FRAMES) {
          frames.push({ raf: t, work: performance.now() - t0, input: since, done: performance.now() });
        }
      }
      since = null;
    });
  };
}

export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  const host = parentElement;
  const store = (host.__cevisLive ||= {});
  store.version = (store.version || 0) + 1;
  const version = store.version;
  if (!data || !data.blob) return undefined;
  // a render made before the server took this view's last commit would snap the handles back
  // to the old values for a moment: wait for the one that acknowledges it (data.ack)
  if ((data.ack ?? 0) < (store.commits || 0)) return undefined;
  decodePayload(data).then((arrays) => {
    if (version !== store.version) return; // a newer render arrived while this one decoded
    if ((data.ack ?? 0) < (store.commits || 0)) return; // a commit was sent while it decoded
    const builder = data.kind === "binary" ? binaryView : multiclassView;
    if (!store.view || store.kind !== data.kind || store.shape !== builder.shape(data)) {
      if (store.view) store.view.root.remove();
      store.kind = data.kind;
      store.shape = builder.shape(data);
      store.view = builder.build(host, data, (value) => {
        store.commits = (store.commits || 0) + 1;
        store.view.root.setAttribute("data-commits", store.commits);
        setTriggerValue("commit", { ...value, seq: store.commits });
      });
    }
    store.view.root.setAttribute("data-render", data.render ?? "");
    store.view.root.style.setProperty("--cl-scale", String(data.scale || 1)); // presentation mode
    store.view.update(data, arrays);
  });
  return () => {
    if (store.view) store.view.root.remove();
    host.__cevisLive = undefined;
  };
}

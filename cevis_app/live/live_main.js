// ==== live_main.js: the entry point. It names the views; each view uses only the core. ====

const VIEWS = { multiclass: multiclassView, binary: binaryView, descent: descentView,
  training: trainingView };
const STORES = new WeakMap(); // host element -> its view's state (no expando on Streamlit's node)

// The server sends the payload as UTF-8 JSON bytes (component.py's encode); an object as is.
function payloadOf(raw) {
  if (raw instanceof Uint8Array) return JSON.parse(new TextDecoder().decode(raw));
  return raw;
}

export default function (component) {
  const { parentElement, setTriggerValue } = component;
  const data = payloadOf(component.data);
  const host = parentElement;
  if (!STORES.has(host)) STORES.set(host, {});
  const store = STORES.get(host);
  store.version = (store.version || 0) + 1;
  const version = store.version;
  if (!data || !data.blob) return undefined;
  // a render made before the server took this view's last commit would snap the handles back
  // to the old values for a moment: wait for the one that acknowledges it (data.ack)
  if ((data.ack ?? 0) < (store.commits || 0)) return undefined;
  decodePayload(data).then((arrays) => {
    if (version !== store.version) return; // a newer render arrived while this one decoded
    if ((data.ack ?? 0) < (store.commits || 0)) return; // a commit was sent while it decoded
    const builder = VIEWS[data.kind];
    if (!builder) throw new Error(`no view for "${data.kind}"`);
    if (store.error) { store.error.remove(); store.error = null; }
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
    // arriving from another page (e.g. Training's "Open in the Explorer"): show the view
    if (data.reveal && store.revealed !== data.render) {
      store.revealed = data.render;
      if (store.view.root.getBoundingClientRect().top < 0) {
        store.view.root.scrollIntoView({ block: "start" });
      }
    }
  }).catch((err) => {
    if (version === store.version) showError(host, store, err);
  });
  return () => {
    if (store.view) store.view.root.remove();
    if (store.error) store.error.remove();
    STORES.delete(host);
  };
}

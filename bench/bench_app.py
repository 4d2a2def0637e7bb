"""What a user waits for: rerun latency, load, memory, and in-browser redraw times, per page.

    python bench/bench_app.py            # every measurement (about 3 minutes)
    python bench/bench_app.py --quick    # fewer repetitions, no browser part
    python bench/bench_app.py --markdown # the tables as Markdown, for README

It starts `streamlit run app.py` on a free loopback port and talks to it as the browser
does: a websocket client sends the same protobuf "rerun with these widget values"
message the frontend sends when a slider is released, and times it until the server
says the script finished. Load uses many such sessions at once; the browser part uses
Debian's Chromium through Playwright (skipped if missing).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import pathlib
import platform
import socket
import statistics
import subprocess
import sys
import time
import urllib.request

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

ROOT = pathlib.Path(__file__).resolve().parent.parent
# page url_path -> the label of a slider on it, and two values to alternate between
PAGES = {
    "explorer": ("Logit z of panda", (1.5, -0.5)),
    "binary": ("Logit z", (2.0, -1.0)),
    "batch": ("label_smoothing ε", (0.1, 0.2)),
    "gradients": ("Logit z of panda", (1.5, -0.5)),
    "descent": ("Logit z of panda", (1.5, -0.5)),
    "training": ("Epochs", (150, 200)),
    "stability": ("Batch size for the reduction mistake", (16, 64)),
}
BROWSER_LABELS = {  # where a page's websocket slider redraws no chart, the slider to press instead
    "stability": "Largest logit z (the other two are 0 and −1)",
}
SESSIONS = 20  # concurrent users of the load measurements
PACED_SECONDS = 10  # each paced session makes one change a second for this long
FLOOD_SECONDS = 10  # the throughput run lasts this long
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage"]


# ---------------------------------------------------------------- the server
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def server(root=None, env=None):
    """`streamlit run app.py` of this checkout (or of ``root``) on a free loopback port, with
    ``env`` added to its environment."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
         "--server.address", "127.0.0.1", "--server.port", str(port)],
        cwd=root or ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, **(env or {})})
    url = f"127.0.0.1:{port}"
    try:
        for _ in range(300):
            with contextlib.suppress(OSError):
                if urllib.request.urlopen(f"http://{url}/_stcore/health", timeout=1).read() == b"ok":
                    break
            time.sleep(0.1)
        yield url, proc.pid
    finally:
        proc.terminate()
        proc.wait(10)


def rss_mib(pid: int) -> float:
    for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


# ---------------------------------------------------------------- a websocket client
class Session:
    """One browser tab's worth of protocol: connect, run a page, change a slider."""

    def __init__(self, url: str, page: str, headers=None):
        self.url, self.page, self.headers = url, page, headers
        self.ws = None
        self.widgets = {}  # slider label -> widget id
        self.metrics = {}  # metric label -> its shown value, from the last rerun
        self.fragment_id = ""  # the fragment of the element element() is given ("": none)

    async def __aenter__(self):
        self.ws = await websockets.connect(f"ws://{self.url}/_stcore/stream",
                                           subprotocols=["streamlit"], max_size=2**26,
                                           additional_headers=self.headers)
        return self

    async def __aexit__(self, *exc):
        await self.ws.close()

    async def rerun(self, widget_states=None, fragment_id: str = "") -> float:
        """Send a rerun request (of one fragment, as a browser asks when the widget that changed
        is in one); return seconds until the script has finished."""
        msg = BackMsg()
        msg.rerun_script.page_name = self.page
        msg.rerun_script.fragment_id = fragment_id
        for state in widget_states or []:
            msg.rerun_script.widget_states.widgets.append(state)
        start = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        while True:
            fwd = ForwardMsg()
            fwd.ParseFromString(await self.ws.recv())
            kind = fwd.WhichOneof("type")
            if kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                self.fragment_id = fwd.delta.fragment_id  # the element's fragment ("": none)
                self.element(fwd.delta.new_element)
            elif kind == "script_finished":
                return time.perf_counter() - start

    def element(self, element) -> None:
        """Note what a rerun drew: sliders' ids, metrics' values (subclasses note more)."""
        if element.WhichOneof("type") == "slider":
            self.widgets[element.slider.label] = element.slider.id
        elif element.WhichOneof("type") == "metric":
            self.metrics[element.metric.label] = element.metric.body

    async def move(self, label: str, value: float) -> float:
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        state = WidgetState(id=self.widgets[label])
        state.double_array_value.data.append(float(value))
        return await self.rerun([state])


async def single_session(url, page, label, values, n) -> list[float]:
    async with Session(url, page) as s:
        await s.rerun()
        await s.move(label, values[1])  # warm: the first change imports what the page needs
        return [await s.move(label, values[i % 2]) for i in range(n)]


async def paced_sessions(url, page, label, values) -> list[float]:
    async def one(k):
        async with Session(url, page) as s:
            await s.rerun()
            await asyncio.sleep(k / SESSIONS)  # spread the sessions over the second
            out = []
            for i in range(PACED_SECONDS):
                t0 = time.perf_counter()
                out.append(await s.move(label, values[i % 2]))
                await asyncio.sleep(max(0.0, 1.0 - (time.perf_counter() - t0)))
            return out
    results = await asyncio.gather(*(one(k) for k in range(SESSIONS)))
    return [t for r in results for t in r]


async def flood_sessions(url, page, label, values) -> float:
    stop = time.perf_counter() + FLOOD_SECONDS
    counts = [0] * SESSIONS

    async def one(k):
        async with Session(url, page) as s:
            await s.rerun()
            i = 0
            while time.perf_counter() < stop:
                await s.move(label, values[i % 2])
                counts[k] += 1
                i += 1
    start = time.perf_counter()
    await asyncio.gather(*(one(k) for k in range(SESSIONS)))
    return sum(counts) / (time.perf_counter() - start)


async def memory_per_session(url, pid, page) -> tuple[float, float]:
    async with Session(url, page) as s:
        await s.rerun()
        base = rss_mib(pid)
        sessions = [Session(url, page) for _ in range(SESSIONS)]
        for extra in sessions:
            await extra.__aenter__()
            await extra.rerun()
        grown = rss_mib(pid)
        for extra in sessions:
            await extra.__aexit__(None, None, None)
    return base, (grown - base) / SESSIONS


# ---------------------------------------------------------------- the browser
REDRAW_JS = """async ([label, key]) => {
  const charts = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
      .concat([...document.querySelectorAll('*')].filter(e => e.shadowRoot).map(e => e.shadowRoot));
  let last = 0;
  const seen = new MutationObserver(() => { last = performance.now(); });
  charts.forEach(c => seen.observe(c, {subtree: true, childList: true, attributes: true,
                                       characterData: true}));
  const slider = [...document.querySelectorAll('input[type="range"], [role="slider"]')]
      .find(s => s.getAttribute('aria-label') === label);
  slider.focus();
  const start = performance.now();
  slider.dispatchEvent(new KeyboardEvent('keydown', {key, bubbles: true}));
  slider.dispatchEvent(new KeyboardEvent('keyup', {key, bubbles: true}));
  const quiet = () => new Promise(r => setTimeout(r, 50));
  for (let i = 0; i < 200; i++) {
    await quiet();
    const busy = document.querySelector('[data-testid="stStatusWidget"]');
    if (last > start && !busy && performance.now() - last > 400) break;
  }
  seen.disconnect();
  return last > start ? last - start : NaN;
}"""


def browser_measurements(url, pages, repeats) -> dict:
    """Key press -> charts redrawn (median ms) and first render (ms), per page."""
    from playwright.sync_api import sync_playwright

    out = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        for page_name, (label, _) in pages.items():
            label = BROWSER_LABELS.get(page_name, label)
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            page = context.new_page()
            start = time.perf_counter()
            page.goto(f"http://{url}/{page_name}")
            # the first chart: plotly's, or the live component (the Explorer has no plotly)
            page.wait_for_selector('[data-testid="stPlotlyChart"] .main-svg, '
                                   '[data-testid="cevis-live"]', timeout=30_000)
            page.wait_for_function(
                "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
                timeout=30_000)
            first = (time.perf_counter() - start) * 1000
            page.wait_for_timeout(500)
            times = []
            for i in range(repeats):
                key = "ArrowRight" if i % 2 == 0 else "ArrowLeft"
                times.append(page.evaluate(REDRAW_JS, [label, key]))
            out[page_name] = (statistics.median(times), first)
            context.close()
        browser.close()
    return out


# ---------------------------------------------------------------- report
def pct(values, q) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(q * len(s)))]


def table(headers, rows, markdown) -> str:
    if markdown:
        lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
        lines += ["| " + " | ".join(r) + " |" for r in rows]
        return "\n".join(lines)
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    fmt = "  ".join(f"{{:>{w}}}" for w in widths)
    return "\n".join([fmt.format(*headers)] + [fmt.format(*r) for r in rows])


def machine() -> str:
    cpu = next((ln.split(":", 1)[1].strip() for ln in
                pathlib.Path("/proc/cpuinfo").read_text().splitlines()
                if ln.startswith("model name")), platform.processor())
    import streamlit
    return (f"{os.cpu_count()} cores, {cpu}; Python {platform.python_version()}, "
            f"Streamlit {streamlit.__version__}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer repetitions, no browser part")
    ap.add_argument("--markdown", action="store_true")
    ap.add_argument("--pages", nargs="*", default=list(PAGES))
    ap.add_argument("--browser-only", action="store_true", help="only the Chromium part")
    args = ap.parse_args()
    pages = {p: PAGES[p] for p in args.pages}
    n = 10 if args.quick else 40
    print(f"machine: {machine()}")
    with server() as (url, pid):
        asyncio.run(single_session(url, "explorer", *PAGES["explorer"], 1))  # warm the imports
        rows = []
        for page, (label, values) in ({} if args.browser_only else pages).items():
            alone = asyncio.run(single_session(url, page, label, values, n))
            row = [page, f"{statistics.median(alone) * 1e3:.0f}", f"{pct(alone, 0.9) * 1e3:.0f}"]
            if not args.quick:
                paced = asyncio.run(paced_sessions(url, page, label, values))
                flood = asyncio.run(flood_sessions(url, page, label, values))
                row += [f"{statistics.median(paced) * 1e3:.0f}", f"{pct(paced, 0.9) * 1e3:.0f}",
                        f"{flood:.0f}"]
            rows.append(row)
        headers = ["page", "alone median ms", "alone p90 ms"]
        if not args.quick:
            headers += [f"{SESSIONS} paced median ms", f"{SESSIONS} paced p90 ms",
                        f"{SESSIONS} flooding reruns/s"]
        if rows:
            print(f"\nrerun latency: slider change sent -> script finished ({n} changes alone)")
            print(table(headers, rows, args.markdown))
            base, per = asyncio.run(memory_per_session(url, pid, "explorer"))
            print(f"\nserver memory: {base:.0f} MiB with one Explorer session, "
                  f"{per:+.2f} MiB per extra session ({SESSIONS} added)")
        if not args.quick and os.path.exists(CHROMIUM):
            shown = browser_measurements(url, pages, 10)
            print("\nin Chromium: key press on a slider -> every chart redrawn (median of 10), "
                  "and first render in a fresh context")
            print(table(["page", "key -> charts ms", "first render ms"],
                        [[p, f"{a:.0f}", f"{b:.0f}"] for p, (a, b) in shown.items()],
                        args.markdown))


if __name__ == "__main__":
    main()

"""Waiting for a page to hold still, instead of a fixed sleep: the wait ends as soon as it does.

A page has settled when nothing runs or is stale, the fonts are loaded (plotly draws again once
a font arrives) and the geometry of every plotly chart (its box and each of its texts' boxes)
and of the main column has not changed for ``STILL_MS`` of animation frames. That covers
plotly's own late changes after its first draw (the automargin redraw, the font redraw,
Streamlit's resize to the column's width), which the tests used to wait out with a fixed 0.5 s.
"""

from __future__ import annotations

STILL_MS = 120  # the layout unchanged this long (7 frames at 60 Hz); a redraw comes within a frame
TIMEOUT_MS = 60_000  # a page on a loaded 2-core machine with several charts

# nothing running, nothing stale (Streamlit fades elements during a rerun), nothing lazy left
BUSY = ("[data-testid=stStatusWidget], [data-stale=true], [data-testid=stSkeleton], "
        "[data-testid=stSkeletonElement]")

# Called once per animation frame (polling="raf") with the time the layout must hold still;
# keeps the last geometry and since when it holds in window.__cevisSettled.
SETTLED_JS = f"""
(stillMs) => {{
  const charts = [...document.querySelectorAll('[data-testid=stPlotlyChart]')];
  if (document.querySelector('{BUSY}') || document.fonts.status !== 'loaded'
      || !charts.every(c => c.querySelector('svg.main-svg text'))) {{
    window.__cevisSettled = null;
    return false;
  }}
  const parts = [];
  const add = el => {{ const b = el.getBoundingClientRect(); parts.push(b.x, b.y, b.width, b.height); }};
  const main = document.querySelector('[data-testid=stMainBlockContainer]');
  if (main) add(main);
  for (const chart of charts) {{
    add(chart);
    chart.querySelectorAll('svg.main-svg text').forEach(t => {{ parts.push(t.textContent); add(t); }});
  }}
  const geometry = parts.join(',');
  const now = performance.now();
  const last = window.__cevisSettled;
  if (!last || last.geometry !== geometry) {{
    window.__cevisSettled = {{geometry, since: now}};
    return false;
  }}
  return now - last.since >= stillMs;
}}
"""


def wait_settled(page, still_ms: float = STILL_MS, timeout: float = TIMEOUT_MS) -> None:
    """Wait until the page has held still for ``still_ms`` (see the module's docstring)."""
    page.evaluate("() => { window.__cevisSettled = null; }")
    page.wait_for_function(SETTLED_JS, arg=still_ms, polling="raf", timeout=timeout)

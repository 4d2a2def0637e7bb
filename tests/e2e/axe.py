"""axe-core (Deque's accessibility engine, the one behind Lighthouse) run in the page.

The engine is the ``axe.min.js`` that the PyPI package ``axe-playwright-python`` bundles
(installed by .ci/run); only that file is used, injected into the page and run with the
WCAG 2.1 A/AA rules. ``AXE_JS`` is None when the package is missing (the caller decides:
fail in CI, skip elsewhere, see fixtures_servers.missing).
"""

from __future__ import annotations

import importlib.util
import pathlib

from .helpers import wait_idle
from .settled import BUSY
from .settled import wait_settled

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]  # the rule tags of WCAG 2.1 A and AA


def _axe_source() -> str | None:
    spec = importlib.util.find_spec("axe_playwright_python")
    if spec is None or spec.origin is None:
        return None
    path = pathlib.Path(spec.origin).parent / "axe.min.js"
    return path.read_text(encoding="utf-8") if path.exists() else None


AXE_JS = _axe_source()

# axe.run on the whole document (open shadow roots included), WCAG 2.1 A/AA only; each
# violation as its rule, impact and the CSS selectors of its nodes
RUN_JS = """
async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                          resultTypes: ['violations']});
  return result.violations.map(v => ({
    rule: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.map(String).join(' >> '),
                              summary: (n.failureSummary || '').slice(0, 300)}))}));
}
"""


def version() -> str:
    """The bundled axe-core's version, read from its licence banner (``/*! axe v4.12.1``)."""
    head = (AXE_JS or "")[:40]
    return head.split("axe v", 1)[1].split()[0] if "axe v" in head else "?"


def run_axe(page) -> list[dict]:
    """Every WCAG 2.1 A/AA violation on the page as it is now (injects axe-core once)."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(content=AXE_JS)
    return page.evaluate(RUN_JS, WCAG_21_AA)


def without(violations: list[dict], known: dict[str, tuple[str, ...]]) -> list[dict]:
    """The violations left after removing ``known``: rule -> exact node selectors (an upstream
    issue each, documented where ``known`` is defined); a rule keeps its other nodes."""
    left = []
    for v in violations:
        nodes = [n for n in v["nodes"] if n["target"] not in known.get(v["rule"], ())]
        if nodes:
            left.append({**v, "nodes": nodes})
    return left


# nothing running, nothing stale, every plotly chart drawn (bench/present_audit.py and
# present_shots.py wait for it; settle below waits for more)
STILL_JS = f"""() => !document.querySelector('{BUSY}')
  && [...document.querySelectorAll('[data-testid=stPlotlyChart]')]
       .every(c => c.querySelector('svg.main-svg'))"""


def settle(page):
    """The script run over, nothing stale (Streamlit fades elements during a rerun: low contrast
    that no one reads), every lazy element and plotly chart drawn and held still (axe reads the
    final page)."""
    page.wait_for_selector(".st-key-cevis-present button:visible", timeout=60_000)  # it has run
    wait_idle(page, timeout=60_000)
    wait_settled(page)


def report(violations) -> str:
    return "\n".join(f"{v['rule']} ({v['impact']}): {v['help']}\n  " +
                     "\n  ".join(n["target"] + "\n    " + n["summary"] for n in v["nodes"][:5])
                     for v in violations)

"""URL fuzz: every parameter every page reads, with hostile values, never gives a traceback.

Each *open* runs one page file with AppTest and a query string in which some of the
page's parameters carry hostile values (empty, nan, ±inf, 1e308, 10,000 digits, 10,000
characters, non-ASCII digits, Markdown/HTML/LaTeX, repeated keys, wrong types). An open
passes when the page raises nothing, still runs after one control moves, and no element
renders the hostile markup (errors, captions and Markdown show it escaped).

The suite runs a fixed-seed sample (FUZZ_OPENS, default 40: about 90 s here); set
FUZZ_OPENS=2000 for a long run, or run this file as a script to print the counts.
"""

from __future__ import annotations

import os
import pathlib
import random
import re

import pytest
from streamlit.testing.v1 import AppTest

ROOT = pathlib.Path(__file__).resolve().parents[2]
TIMEOUT = 60  # s: a loaded machine, and the first run imports plotly and pandas
SEED = 13  # issue 13; fixed so a failure is reproducible by its index
OPENS = int(os.environ.get("FUZZ_OPENS", "40"))

SAMPLE = ["explorer.classes", "explorer.names", "explorer.T", "explorer.y"] + [
    f"explorer.z{i}" for i in range(10)]
# grep 'bind="query-params"' and st.query_params in app_pages/ and cevis_app/widgets/
PAGES = {
    "explorer": SAMPLE,
    "gradients": SAMPLE + ["gradients.h"],
    "descent": SAMPLE + ["descent.loss", "descent.lr", "descent.steps", "descent.eps"],
    "binary": ["binary.kind", "binary.z", "binary.p", "binary.t", "binary.rows_kind",
               "binary.rows", "binary.pos_weight"],
    "batch": ["batch.reduction", "batch.eps", "batch.weights_on", "batch.weights",
              "batch.ignore_on", "batch.ignore_index", "batch.target_kind", "batch.pred_kind",
              "batch.rows", "batch.row", "batch.tab"],
    "stability": ["stability.z", "stability.gap", "stability.p", "stability.y", "stability.n"],
    "training": ["training.x", "training.y", "training.species", "training.lr",
                 "training.epochs", "training.l2", "training.flower"],
}
MARKUP = ["**pwned** [click here](https://evil.example/login) ![i](http://127.0.0.1:9/x.png)",
          "<img src=x onerror=alert(1)>", r"$\color{red}{\Huge PWNED}$",
          ":red[big] :material/warning:", "# heading", "`code` _it_ ~~s~~"]
HOSTILE = ["", " ", "nan", "NaN", "inf", "-inf", "Infinity", "1e308", "-1e308", "1e-320",
           "9" * 10_000, "-" + "9" * 5_000, "x" * 10_000, "²", "①", "٣", "-1", "0", "1", "2.5",
           "1000000", "true", "false", "None", "[1, 2]", "{}", "0x10", "1_000", "\x00",
           "panda, seal, duck", "mean", "one-hot", "probabilities", "logit", *MARKUP]
LISTS = [["1", "2"], ["", ""], ["mean", "sum"], ["nan", "inf"], ["0", "x" * 1000]]  # ?k=a&k=b


def hostile_query(rng: random.Random, page: str) -> dict:
    """Some of ``page``'s parameters (and sometimes all), each with a hostile value."""
    keys = PAGES[page]
    chosen = keys if rng.random() < 0.2 else rng.sample(keys, rng.randint(1, min(4, len(keys))))
    return {k: (rng.choice(LISTS) if rng.random() < 0.1 else rng.choice(HOSTILE)) for k in chosen}


def cases(count: int, seed: int = SEED):
    rng = random.Random(seed)
    pages = sorted(PAGES)
    # every (page, key, value) once in the long run; a sample of it in the short one
    singles = [(p, {k: v}) for p in pages for k in PAGES[p] for v in HOSTILE + LISTS]
    rng.shuffle(singles)
    mixed = [(pages[i % len(pages)], hostile_query(rng, pages[i % len(pages)]))
             for i in range(count)]
    return [c for pair in zip(singles, mixed) for c in pair][:count] if count < 2 * len(
        singles) else singles + mixed[:count - len(singles)]


def _rendered_texts(at):
    """Bodies of the elements that render Markdown: markdown/caption/error/info/warning/metric."""
    for kind in ("markdown", "caption", "error", "warning", "info", "success"):
        for el in at.get(kind):
            yield kind, str(el.value)
    for m in at.metric:
        yield "metric label", str(m.label)


# Markup that must not reach a Markdown body unescaped: a live link/image, bold, HTML, math.
LIVE_MARKUP = [re.compile(p) for p in (
    r"(?<!\\)\[click here(?<!\\)\]\(", r"(?<!\\)!\[i", r"(?<![\\*])\*\*pwned", r"<img",
    r"(?<!\\)\$\\color", r"(?<!\\):red\[",
    r"https?\\?:\\?/")]  # a bare URL: GFM links it unless a word joiner follows the colon


def check_markup(at) -> list[str]:
    bad = []
    for kind, text in _rendered_texts(at):
        bad += [f"{kind}: {text[:200]!r}" for p in LIVE_MARKUP if p.search(text)]
    return bad


def _move_one_control(at):
    """Move the first slider or toggle the page shows (a student's first click)."""
    for slider in at.slider:
        if not slider.disabled:
            low, high = slider.min, slider.max
            slider.set_value(high if slider.value != high else low)
            return at.run()
    for toggle in at.toggle:
        return toggle.set_value(not toggle.value).run()
    return at.run()


def open_page(page: str, query: dict):
    at = AppTest.from_file(str(ROOT / "app_pages" / f"{page}.py"), default_timeout=TIMEOUT)
    at.query_params.update(query)
    at.run()
    return at


# Values no non-text control can hold: if one is still in the link after a control moved,
# the page wrote a rejected value back (text inputs may keep any text, so they are exempt).
NEVER_VALID = {"nan", "NaN", "inf", "-inf", "Infinity", "1e308", "-1e308", "9" * 10_000,
               "-" + "9" * 5_000, "x" * 10_000, "²", "①", "None", "[1, 2]", "{}", "0x10",
               "\x00", *MARKUP}
TEXT_INPUTS = ("TextInput", "TextArea")


def _widget_keys(node, out=None) -> dict:
    """{key: element type} of every keyed element the run rendered."""
    out = {} if out is None else out
    if getattr(node, "key", None):
        out[node.key] = type(node).__name__
    children = getattr(node, "children", None) or {}
    for child in (children.values() if isinstance(children, dict) else children):
        _widget_keys(child, out)
    return out


def failures(page: str, query: dict) -> list[str]:
    """Everything wrong with opening ``page`` on ``query``: tracebacks, live markup, bad links."""
    at = open_page(page, query)
    found = [f"exception: {e.message[:300]}" for e in at.exception]
    found += check_markup(at)
    if found:
        return found
    at = _move_one_control(at)
    found += [f"after a control move: {e.message[:300]}" for e in at.exception]
    found += check_markup(at)
    rendered = _widget_keys(at._tree)
    for key in query:
        kept = at.query_params.get(key)
        if (key in rendered and rendered[key] not in TEXT_INPUTS and kept is not None
                and any(v in NEVER_VALID for v in (kept if isinstance(kept, list) else [kept]))):
            found.append(f"{key}={str(kept)[:40]!r} kept in the link after a control move")
    return found


@pytest.mark.parametrize("index", range(OPENS))
def test_hostile_link_never_breaks_a_page(index):
    page, query = cases(OPENS)[index]
    assert not failures(page, query), (page, {k: str(v)[:60] for k, v in query.items()})


if __name__ == "__main__":  # the long run: python tests/fuzz/test_url_fuzz.py 1500 [shard shards]
    import sys
    import time

    from streamlit import config

    config.set_option("client.showErrorDetails", "full")  # the real message in the report
    sys.path.insert(0, str(ROOT))  # the pages import cevis and cevis_app (pytest does this)
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1500
    shard, shards = (int(sys.argv[2]), int(sys.argv[3])) if len(sys.argv) > 3 else (0, 1)
    start, tried, broken = time.monotonic(), 0, 0
    for i, (page, query) in enumerate(cases(count)):
        if i % shards != shard:
            continue
        tried += 1
        found = failures(page, query)
        if found:
            broken += 1
            print(i, page, {k: str(v)[:40] for k, v in query.items()}, found[:2], flush=True)
    print(f"{tried} opens tried, {broken} with a traceback, live markup or a bad value kept, "
          f"{time.monotonic() - start:.0f} s", flush=True)

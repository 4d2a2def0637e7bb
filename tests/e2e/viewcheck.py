"""What a class at the back of the room sees: every text's size in device pixels, what is
above the fold, what a fixed element covers. Read from the browser (computed styles and
boxes), never from the app's constants.

Shared by tests/e2e/test_presentation_sizes.py and bench/present_audit.py.
"""

from __future__ import annotations

# Every visible text of the page (open shadow roots included, the hidden sidebar not): its
# font size in device px = computed CSS px x the SVG's own scale x devicePixelRatio.
ALL_TEXT_JS = """
() => {
  const roots = [document];
  for (let i = 0; i < roots.length; i++)
    roots[i].querySelectorAll('*').forEach(el => { if (el.shadowRoot) roots.push(el.shadowRoot); });
  const dpr = window.devicePixelRatio || 1;
  const out = [];
  const seen = new Set();
  for (const root of roots) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      // zero-width spaces are struts (KaTeX's 2 px .vlist-s), not text anyone reads
      if (!n.textContent.replace(/[\u200b-\u200d\ufeff]/g, '').trim()) continue;
      const parent = n.parentElement;
      if (!parent) continue;
      const el = parent instanceof SVGElement ? (parent.closest('text') || parent) : parent;
      if (seen.has(el)) continue;
      seen.add(el);
      if (el.closest('style, script, noscript, [aria-hidden=true] .katex-mathml, .katex-mathml'))
        continue;
      if (el.checkVisibility && !el.checkVisibility({opacityProperty: true,
                                                     visibilityProperty: true})) continue;
      const box = el.getBoundingClientRect();
      if (box.width < 1 || box.height < 1) continue;
      // parked off the page until focused (Streamlit's "Skip to main content")
      if (box.right + window.scrollX <= 0 || box.bottom + window.scrollY <= 0) continue;
      const cs = getComputedStyle(el);
      // the material icons are glyphs in a font, their "text" a ligature name
      if (/Material Symbols|Material Icons/.test(cs.fontFamily)) continue;
      const ctm = parent instanceof SVGElement && el.getScreenCTM ? el.getScreenCTM() : null;
      const scale = ctm ? Math.hypot(ctm.a, ctm.b) : 1;
      out.push({text: n.textContent.trim().slice(0, 40), px: parseFloat(cs.fontSize) * scale * dpr,
                top: box.top + window.scrollY, tag: el.tagName.toLowerCase(),
                testid: (el.closest('[data-testid]') || {dataset: {}}).dataset.testid || ''});
    }
  }
  return out;
}
"""

# Elements with position fixed or sticky that are visible, and the content boxes they overlap
FIXED_OVER_CONTENT_JS = """
() => {
  const fixed = [...document.querySelectorAll('body *')].filter(el => {
    const p = getComputedStyle(el).position;
    if (p !== 'fixed' && p !== 'sticky') return false;
    const b = el.getBoundingClientRect();
    return b.width > 0 && b.height > 0 && el.checkVisibility({visibilityProperty: true});
  });
  const content = [...document.querySelectorAll(
      '[data-testid=stMainBlockContainer] [data-testid=stElementContainer]')]
    .filter(el => !fixed.some(f => f.contains(el) || el.contains(f)));
  const hits = [];
  for (const f of fixed) {
    if (fixed.some(g => g !== f && g.contains(f))) continue;
    const a = f.getBoundingClientRect();
    for (const c of content) {
      if (c.querySelector('[data-testid=stElementContainer]')) continue;  // leaves only
      const b = c.getBoundingClientRect();
      if (b.width < 1 || b.height < 1) continue;
      const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
      const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      if (w > 1 && h > 1)
        hits.push({fixed: (f.className || f.tagName).toString().slice(0, 60),
                   over: (c.innerText || c.className).toString().slice(0, 40), w, h});
    }
  }
  return hits;
}
"""

# Words broken inside: a text node whose line boxes split a word (a line ends without a
# space or hyphen before the next line's first letter)
MID_WORD_BREAKS_JS = """
() => {
  const breaks = [];
  const walker = document.createTreeWalker(
      document.querySelector('[data-testid=stAppViewContainer]') || document.body,
      NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const text = n.textContent;
    if (text.trim().length < 2 || !n.parentElement) continue;
    if (n.parentElement.closest('svg, .katex, pre, code, style, script')) continue;
    const range = document.createRange();
    let lastTop = null;
    for (let i = 0; i < text.length; i++) {
      range.setStart(n, i);
      range.setEnd(n, i + 1);
      const r = range.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      if (lastTop !== null && r.top > lastTop + 2 && i > 0 && /[A-Za-z0-9]/.test(text[i])
          && /[A-Za-z0-9]/.test(text[i - 1]))
        breaks.push(text.trim().slice(0, 40));
      lastTop = r.top;
    }
  }
  return [...new Set(breaks)];
}
"""


def small_texts(texts: list[dict], device_px: float = 18) -> list[dict]:
    """The texts smaller than ``device_px`` device pixels."""
    return [t for t in texts if t["px"] < device_px - 0.05]

# Pairs of texts that overlap inside one chart of the live view (open shadow roots included):
# tick labels, axis titles and the point's label, by their rendered boxes
SVG_TEXT_OVERLAPS_JS = """
() => {
  const roots = [document];
  for (let i = 0; i < roots.length; i++)
    roots[i].querySelectorAll('*').forEach(el => { if (el.shadowRoot) roots.push(el.shadowRoot); });
  const hits = [];
  for (const root of roots) for (const svg of root.querySelectorAll('svg.cl-svg')) {
    const boxes = [...svg.querySelectorAll('text')].filter(t => t.textContent.trim())
      .map(t => ({text: t.textContent.trim(), b: t.getBoundingClientRect()}))
      .filter(t => t.b.width > 0);
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i].b, b = boxes[j].b;
      const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
      const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      if (w > 1 && h > 1) hits.push([boxes[i].text, boxes[j].text, Math.round(w), Math.round(h)]);
    }
  }
  return hits;
}
"""


def box_in_view(box: dict | None, height: float) -> bool:
    """Whether an element's box (Playwright's bounding_box) lies wholly within the first screen."""
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height + 0.5

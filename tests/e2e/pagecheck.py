"""What a person sees, read from the browser: chart text sizes and contrast, cut-off elements.

Shared by tests/e2e/test_presentation_browser.py and bench/chart_text.py (before/after numbers).
Contrast is WCAG 2's ratio (L1 + 0.05) / (L2 + 0.05) of the text's computed fill (blended
over white by its fill-opacity) against the white page: every chart here has a transparent
background on the white app.
"""

from __future__ import annotations

# Every visible text of every chart, plotly's and the live view's: its size in CSS px and its
# contrast on white. The live view lives in a shadow root (components v2) and mixes HTML text
# (computed colour) with SVG text (computed fill, its size scaled by the SVG's own transform).
CHART_TEXT_JS = """
() => {
  const channel = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
  const roots = [document];
  for (let i = 0; i < roots.length; i++)
    roots[i].querySelectorAll('*').forEach(el => { if (el.shadowRoot) roots.push(el.shadowRoot); });
  const charts = [];
  roots.forEach(r => r.querySelectorAll('[data-testid="stPlotlyChart"], [data-testid="cevis-live"]')
    .forEach(c => charts.push(c)));
  const out = [];
  charts.forEach((chart, index) => {
    const walker = document.createTreeWalker(chart, NodeFilter.SHOW_TEXT);
    const seen = new Set();
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      // an SVG label is its <text> element (a superscript <tspan> inside counts with it)
      const el = n.parentElement instanceof SVGElement ? (n.parentElement.closest('text')
                                                          || n.parentElement) : n.parentElement;
      if (!el || seen.has(el)) continue;
      seen.add(el);
      const text = el.textContent.trim();
      const box = el.getBoundingClientRect();
      const cs = getComputedStyle(el);
      if (!text || box.width === 0 || cs.visibility === 'hidden' || cs.display === 'none') continue;
      if (el.closest('[style*="opacity: 0"], style, script')) continue;
      const svg = el instanceof SVGElement;
      const colour = svg ? cs.fill : cs.color;
      const rgb = (colour.match(/[\\d.]+/g) || ['0', '0', '0']).map(Number);
      const a = (svg ? Number(cs.fillOpacity) : 1) * (rgb.length > 3 ? rgb[3] : 1);
      const [r, g, b] = rgb.slice(0, 3).map(v => channel(a * v + (1 - a) * 255));
      const lum = 0.2126 * r + 0.7152 * g + 0.0722 * b;
      const scale = svg && el.getScreenCTM ? Math.hypot(el.getScreenCTM().a, el.getScreenCTM().b) : 1;
      out.push({chart: index, text: text.slice(0, 40), size: parseFloat(cs.fontSize) * scale,
                fill: colour, contrast: 1.05 / (lum + 0.05), cls: el.getAttribute('class') || ''});
    }
  });
  return out;
}
"""

# Buttons, metric values and chart titles whose text is cut: scrollWidth > clientWidth (plus
# 1 px of rounding), or, for SVG titles, a text box past its chart's right edge; and formulas wider
# than their box (KaTeX's displays, the live view's MathML in its shadow root): a scroll box
# shows them cut at its edge, a number's digits included.
CUT_ELEMENTS_JS = """
() => {
  const cut = [];
  const roots = [document];
  for (let i = 0; i < roots.length; i++)
    roots[i].querySelectorAll('*').forEach(el => { if (el.shadowRoot) roots.push(el.shadowRoot); });
  roots.forEach(root => root.querySelectorAll('.katex-display, .cl-math').forEach(el => {
    if (el.getBoundingClientRect().width > 0 && el.scrollWidth > el.clientWidth + 1)
      cut.push({what: 'formula', text: el.textContent.replace(/\\s+/g, ' ').slice(0, 40),
                scroll: el.scrollWidth, client: el.clientWidth});
  }));
  const labels = 'button, [data-testid="stMarkdownContainer"] p, [data-testid="stMetricDelta"] div, ' +
                 '[data-testid="stMetricValue"] div';
  document.querySelectorAll(labels).forEach(el => {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || el.closest('[data-testid="stSidebar"], [data-testid="stElementToolbar"]'))
      return;  // the sidebar is measured on its own; toolbars are hover-only icons
    const inner = el.querySelector('p, div[data-testid="stMarkdownContainer"]') || el;
    if (el.scrollWidth > el.clientWidth + 1 || inner.scrollWidth > inner.clientWidth + 1)
      cut.push({what: el.tagName, text: el.innerText.slice(0, 40), scroll: el.scrollWidth,
                client: el.clientWidth});
  });
  document.querySelectorAll('[data-testid="stPlotlyChart"]').forEach(chart => {
    const right = chart.getBoundingClientRect().right;
    const left = chart.getBoundingClientRect().left;
    chart.querySelectorAll('.gtitle, .annotation-text, .xtitle, .ytitle').forEach(t => {
      const box = t.getBoundingClientRect();
      if (box.width > 0 && (box.right > right + 1 || box.left < left - 1))
        cut.push({what: 'chart title', text: t.textContent.slice(0, 40), right: box.right,
                  chart_right: right});
    });
  });
  return cut;
}
"""


def summary(texts) -> dict:
    """Smallest size and contrast, and how many texts fall below 18 px / 4.5:1."""
    if not texts:
        return dict(n=0, min_px=float("nan"), min_contrast=float("nan"), below_4_5=0)
    return dict(n=len(texts), min_px=min(t["size"] for t in texts),
                min_contrast=min(t["contrast"] for t in texts),
                below_4_5=sum(t["contrast"] < 4.5 for t in texts),
                below_18=sum(t["size"] < 18 for t in texts))

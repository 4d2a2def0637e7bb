"""wait_settled (tests/e2e/settled.py), the wait that replaced the presentation checks' fixed
0.5 s sleeps: it waits out a chart that still moves, a run that is still going and a chart
not drawn yet (no server: a page made here, the same selectors as Streamlit's)."""

from .settled import wait_settled

# a plotly-like chart whose label moves one px per animation frame until window.stopAt (ms)
MOVING = """
<div data-testid="stMainBlockContainer">
  <div data-testid="stPlotlyChart"><svg class="main-svg" width="300" height="100">
    <text id="label" x="10" y="50">loss</text></svg></div>
</div>
<script>
  window.moves = 0;
  const start = performance.now();
  const step = () => {
    if (performance.now() - start < window.stopAt) {
      document.getElementById('label').setAttribute('x', 10 + ++window.moves);
      requestAnimationFrame(step);
    } else window.stoppedAt = performance.now();
  };
  window.stopAt = %d;
  requestAnimationFrame(step);
</script>
"""


def test_it_waits_until_a_chart_stops_moving(page):
    page.set_content(MOVING % 600)
    wait_settled(page)
    done = page.evaluate("performance.now()")
    stopped = page.evaluate("window.stoppedAt")
    assert stopped is not None and done > stopped, "the wait ended while the label still moved"
    assert page.evaluate("window.moves") >= 5  # it did move (the check can fail)


def test_it_waits_for_a_run_to_end_and_a_chart_to_be_drawn(page):
    page.set_content(MOVING % 0 + """<div data-testid="stStatusWidget">Running...</div>
        <div data-testid="stPlotlyChart" id="late"></div>
        <script>setTimeout(() => document.querySelector('[data-testid=stStatusWidget]').remove(), 400);
                setTimeout(() => document.getElementById('late').innerHTML =
                  '<svg class="main-svg"><text x="5" y="20">p</text></svg>', 700);</script>""")
    wait_settled(page)
    assert page.evaluate("!document.querySelector('[data-testid=stStatusWidget]')")
    assert page.evaluate("!!document.querySelector('#late svg.main-svg text')")


"""The descent player in a real browser (issue 24 item 3): play, pause, change η while paused,
continue from the paused logits; the numbers shown are checked against a plain numpy loop."""

import re
import time

import numpy as np
from playwright.sync_api import expect

from .helpers import streamlit_slider
from .helpers import wait_idle

START = [0.0, 3.0, 1.0]  # panda (true), seal, duck: confidently wrong
URL = "/descent?explorer.z1=3&explorer.z2=1"


def numpy_descent(z, segments):
    """Plain gradient descent on softmax cross-entropy: z <- z - eta (softmax(z) - onehot(0)),
    ``segments`` = [(eta, steps), ...]; returns the logits after every step."""
    z = np.array(z, dtype=float)
    out = [z.copy()]
    for eta, steps in segments:
        for _ in range(steps):
            e = np.exp(z - z.max())
            p = e / e.sum()
            z = z - eta * (p - np.eye(len(z))[0])
            out.append(z.copy())
    return out


def loss_of(z):
    return float(np.log(np.exp(z - z.max()).sum()) + z.max() - z[0])


def player(page):
    return page.get_by_test_id("cevis-live").first


def shown_step(page):
    return int(player(page).get_attribute("data-step"))


def wait_for_step(page, k, timeout_ms=15_000):
    """Poll the playing player until it shows step ``k`` or later (4 steps a second)."""
    for _ in range(timeout_ms // 50):
        if shown_step(page) >= k:
            return
        page.wait_for_timeout(50)
    raise AssertionError(f"the player did not reach step {k}")


def expect_frame(page, z):
    expect(page.get_by_test_id("cevis-descent-loss")).to_have_text(f"{loss_of(z):.4f}")
    e = np.exp(z - z.max())
    p = e / e.sum()
    expect(page.get_by_test_id("cevis-descent-py")).to_have_text(f"{p[0]:.4f}")


def test_pause_change_eta_continue_from_the_paused_logits(page, app_url):
    page.goto(app_url + URL)
    wait_idle(page)
    view = player(page)
    expect(view).to_have_attribute("data-step", "0", timeout=45_000)
    expect_frame(page, np.array(START))
    page.get_by_test_id("cevis-player-play").click()
    expect(view).to_have_attribute("data-playing", "true")
    wait_for_step(page, 3)  # 4 steps a second
    page.get_by_test_id("cevis-player-play").click()  # pause
    expect(view).to_have_attribute("data-playing", "false")
    k = shown_step(page)
    assert 2 <= k <= 40, k
    caption = page.get_by_test_id("cevis-descent-caption")
    expect(caption).to_have_text(re.compile(rf"^At step {k}: loss "))  # one counter for all
    wait_idle(page)

    eta = streamlit_slider(page, "Learning rate η")
    eta.focus()
    eta.press("ArrowLeft")  # 1.0 -> 0.3
    expect(eta).to_have_attribute("aria-valuetext", "0.3", timeout=20_000)
    wait_idle(page)
    expect(view).to_have_attribute("data-step", str(k), timeout=20_000)  # still where it paused
    expect(page.get_by_test_id("cevis-descent-eta")).to_have_text("0.3")
    expect(view.locator("svg text.cl-mark")).to_have_text("η = 0.3")  # the path marks the change

    path = numpy_descent(START, [(1.0, k), (0.3, 4)])
    expect_frame(page, path[k])
    view.focus()
    for i in range(1, 5):  # → steps on from the paused logits with the new η
        page.keyboard.press("ArrowRight")
        expect(view).to_have_attribute("data-step", str(k + i))
        expect_frame(page, path[k + i])
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    expect(view).to_have_attribute("data-step", str(k + 2))
    expect_frame(page, path[k + 2])
    page.keyboard.press(" ")  # space plays on
    expect(view).to_have_attribute("data-playing", "true")
    page.keyboard.press(" ")
    expect(view).to_have_attribute("data-playing", "false")
    wait_idle(page)


def test_the_player_asks_for_more_frames_as_it_plays(page, app_url):
    page.goto(app_url + URL + "&descent.lr=0.1")
    wait_idle(page)
    view = player(page)
    expect(view).to_have_attribute("data-step", "0", timeout=45_000)
    view.focus()
    for _ in range(45):  # the first chunk is 50 steps; the next is asked for 10 before its end
        page.keyboard.press("ArrowRight")
    expect(view).to_have_attribute("data-step", "45")
    wait_idle(page)
    # past step 50 the frames come from the next chunk, asked for as the player neared the end;
    # a step pressed before they arrive is not taken (a busy server), so step until 55
    deadline = time.monotonic() + 30
    while view.get_attribute("data-step") != "55":
        assert time.monotonic() < deadline, view.get_attribute("data-step")
        page.keyboard.press("ArrowRight")
        page.wait_for_timeout(150)
    expect(view).to_have_attribute("data-step", "55")
    expect_frame(page, numpy_descent(START, [(0.1, 55)])[55])


def metric_value(page, label):
    exact = page.get_by_test_id("stMetricLabel").get_by_text(label, exact=True)
    return page.get_by_test_id("stMetric").filter(has=exact).get_by_test_id("stMetricValue")


def test_a_paused_change_reruns_the_player_first_and_then_the_page_follows(page, app_url):
    """η lives in the player's fragment: the player shows the new η, the comparisons below
    (computed on the page's own rerun) then show the run for the new η, and the URL keeps it."""
    page.goto(app_url + URL)
    wait_idle(page)
    view = player(page)
    expect(view).to_have_attribute("data-step", "0", timeout=45_000)
    after = metric_value(page, "Loss after 50 steps")
    expect(after).to_have_text(f"{loss_of(numpy_descent(START, [(1.0, 50)])[50]):.4f}")
    eta = streamlit_slider(page, "Learning rate η")
    eta.focus()
    eta.press("ArrowLeft")  # 1.0 -> 0.3
    expect(page.get_by_test_id("cevis-descent-eta")).to_have_text("0.3", timeout=20_000)
    expect(after).to_have_text(f"{loss_of(numpy_descent(START, [(0.3, 50)])[50]):.4f}",
                               timeout=20_000)
    expect(page).to_have_url(re.compile(r"descent\.lr=0\.3"))
    wait_idle(page)
    expect(view).to_have_attribute("data-step", "0")
    expect_frame(page, np.array(START))

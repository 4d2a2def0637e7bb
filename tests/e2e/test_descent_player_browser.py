"""The descent player in a real browser (issue 24 item 3): play, pause, change η while paused,
continue from the paused logits; the numbers shown are checked against a plain numpy loop."""

import re

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
    page.get_by_test_id("cevis-descent-play").click()
    expect(view).to_have_attribute("data-playing", "true")
    page.wait_for_timeout(1600)  # 4 steps a second
    page.get_by_test_id("cevis-descent-play").click()  # pause
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
    for _ in range(10):
        page.keyboard.press("ArrowRight")
    expect(view).to_have_attribute("data-step", "55", timeout=20_000)
    expect_frame(page, numpy_descent(START, [(0.1, 55)])[55])

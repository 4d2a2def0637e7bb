"""The training player in a real browser (issue 24 item 4): train, pause, change η, train on
from the paused weights; the losses shown are checked against a plain numpy loop."""

import re

import numpy as np
from playwright.sync_api import expect

from cevis_app.views.iris import load_iris
from cevis_app.views.iris import subset
from cevis_app.views.training import split_and_standardise

from .helpers import streamlit_slider
from .helpers import wait_idle

DATA = subset(load_iris(), [2, 3], ["setosa", "versicolor", "virginica"])  # the page's default
SPLIT = split_and_standardise(DATA.features, DATA.labels, seed=0)


def numpy_losses(segments):
    """Mean training cross-entropy at each epoch of full-batch descent, ``segments`` =
    [(eta, epochs), ...], from the page's seed-0 weights N(0, 0.01^2)."""
    x, y = SPLIT.x_train, SPLIT.y_train
    onehot = np.eye(3)[y]
    w, b = np.random.default_rng(0).normal(0.0, 0.01, size=(2, 3)), np.zeros(3)
    losses = []
    for eta, epochs in segments:
        for _ in range(epochs):
            z = x @ w + b
            z = z - z.max(axis=1, keepdims=True)
            p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
            losses.append(float(-np.log(p[np.arange(y.size), y]).mean()))
            w, b = w - eta * x.T @ (p - onehot) / y.size, b - eta * (p - onehot).mean(axis=0)
    z = x @ w + b
    z = z - z.max(axis=1, keepdims=True)
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    losses.append(float(-np.log(p[np.arange(y.size), y]).mean()))
    return losses


def test_train_pause_change_eta_train_on(page, app_url):
    page.goto(f"{app_url}/training")
    wait_idle(page)
    player = page.get_by_test_id("cevis-live").first
    expect(player).to_have_attribute("data-step", "0", timeout=45_000)
    player.scroll_into_view_if_needed()
    play = page.get_by_test_id("cevis-player-play")
    expect(play).to_have_text("▶ Train")
    play.click()
    expect(player).to_have_attribute("data-playing", "true")
    for _ in range(300):  # 4 epochs a second; a loaded machine may be slower
        if int(player.get_attribute("data-step")) >= 2:
            break
        page.wait_for_timeout(50)
    play.click()
    expect(player).to_have_attribute("data-playing", "false")
    k = int(player.get_attribute("data-step"))
    assert 1 <= k <= 30, k
    expect(page.get_by_test_id("cevis-training-epoch")).to_have_text(str(k))
    wait_idle(page)

    eta = streamlit_slider(page, "Learning rate η")
    eta.focus()
    eta.press("ArrowLeft")  # 1.0 -> 0.3
    expect(eta).to_have_attribute("aria-valuetext", "0.3", timeout=20_000)
    wait_idle(page)
    expect(player).to_have_attribute("data-step", str(k), timeout=20_000)
    expect(page.get_by_test_id("cevis-training-settings")).to_have_text("0.3, 0")
    expect(player.locator("svg text.cl-mark").first).to_have_text("η = 0.3, λ = 0")

    losses = numpy_losses([(1.0, k), (0.3, 3)])
    player.focus()
    for i in range(1, 4):
        page.keyboard.press("ArrowRight")
        expect(player).to_have_attribute("data-step", str(k + i))
        expect(page.get_by_test_id("cevis-training-loss")).to_have_text(f"{losses[k + i]:.4f}")
    page.get_by_test_id("cevis-player-reset").click()
    expect(player).to_have_attribute("data-step", "0")
    wait_idle(page)
    expect(page.get_by_test_id("cevis-training-loss")).to_have_text(f"{losses[0]:.4f}")
    expect(player.locator("svg text.cl-mark")).to_have_count(0)  # one setting again


def test_a_paused_change_reruns_the_player_first_and_then_the_page_follows(page, app_url):
    """η lives in the player's fragment: the player shows the new η, then the page's own rerun
    shows the whole run (200 epochs) for the new η, as the numpy loop computes it."""
    page.goto(app_url + "/training")
    wait_idle(page)
    player = page.get_by_test_id("cevis-live").first
    expect(player).to_have_attribute("data-step", "0", timeout=45_000)
    exact = page.get_by_test_id("stMetricLabel").get_by_text("Training loss", exact=True)
    after = page.get_by_test_id("stMetric").filter(has=exact).get_by_test_id("stMetricValue")
    expect(after).to_have_text(f"{numpy_losses([(1.0, 201)])[200]:.4f}")
    eta = streamlit_slider(page, "Learning rate η")
    eta.focus()
    eta.press("ArrowLeft")  # 1.0 -> 0.3
    expect(page.get_by_test_id("cevis-training-settings")).to_have_text("0.3, 0", timeout=20_000)
    expect(after).to_have_text(f"{numpy_losses([(0.3, 201)])[200]:.4f}", timeout=20_000)
    expect(page).to_have_url(re.compile(r"training\.lr=0\.3"))

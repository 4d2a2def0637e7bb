"""Shared links in a real browser: the sample survives page switches; hostile text stays text."""

import math
import re
import urllib.parse

from playwright.sync_api import expect

from .helpers import streamlit_slider
from .helpers import wait_idle

LINK = "/explorer?explorer.names=cat%2C+dog%2C+bird&explorer.z1=6&explorer.z2=1&explorer.y=0"


def _go(page, title, heading):
    page.get_by_test_id("stSidebarNav").get_by_text(title, exact=True).click()
    wait_idle(page)
    expect(page.get_by_role("heading", name=heading)).to_be_visible(timeout=20_000)


def _slider(page, label):
    """Streamlit's own slider (the Explorer's live view has a handle of the same name too)."""
    return streamlit_slider(page, label)


def _sample_is_the_links(page):
    expect(_slider(page, "Logit z of dog")).to_have_attribute(
        "aria-valuetext", "6.00", timeout=20_000)
    expect(_slider(page, "Logit z of bird")).to_have_attribute("aria-valuetext", "1.00")
    page.wait_for_url(re.compile(r"explorer\.z1=6"), timeout=20_000)  # the link still says so
    assert "explorer.names=cat" in page.url, page.url


def test_a_shared_link_survives_page_switches(page, app_url):
    """Issue 13: the first switch used to show panda/seal/duck at 0 and drop the URL params."""
    page.goto(app_url + LINK)
    wait_idle(page)
    _sample_is_the_links(page)
    _go(page, "Gradients", "Where the gradient comes from")
    _sample_is_the_links(page)
    _go(page, "Gradient descent", "Gradient descent on the loss")
    _sample_is_the_links(page)
    start = page.get_by_test_id("stMetric").filter(has_text="Loss at the start")
    expected = math.log(1 + math.exp(6) + math.exp(1))  # -log softmax([0, 6, 1])[0]
    expect(start.get_by_test_id("stMetricValue")).to_have_text(f"{expected:.4f}")
    _go(page, "Home", "cevis: see what cross-entropy does")
    _go(page, "Explorer", "Explorer")
    _sample_is_the_links(page)


def test_echoed_link_text_is_shown_as_text(page, app_url):
    """Markdown, a link and an image in ?binary.rows= are echoed as plain text in the error."""
    hostile = "**pwned** [click here](https://evil.example/login) ![i](http://127.0.0.1:9/x.png)"
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(f"{app_url}/binary?binary.rows=" + hostile.replace(" ", "+").replace("&", "%26"))
    wait_idle(page)
    alert = page.get_by_test_id("stAlert").filter(has_text="could not be read")
    expect(alert).to_be_visible(timeout=20_000)
    # every character shown, none interpreted (word joiners keep GFM from linking URLs)
    # the message quotes the row literally, cut to its first 40 characters
    assert hostile[:40] in " ".join(alert.inner_text().replace("\u2060", "").split())
    assert alert.locator("a, img, strong, em").count() == 0
    hosts = {urllib.parse.urlsplit(u).netloc for u in requests}
    assert not hosts & {"127.0.0.1:9", "evil.example"}, hosts  # the image was never fetched

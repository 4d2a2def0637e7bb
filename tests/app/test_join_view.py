"""The join link phones open (cevis_app/views/join.py): the address, the setting, the warning.

Expected links are written out by hand.
"""

import pytest

from cevis_app.views.join import PUBLIC_URL_ENV
from cevis_app.views.join import clean_public_base
from cevis_app.views.join import is_loopback_host
from cevis_app.views.join import join_link


@pytest.mark.parametrize("host", ["localhost", "LOCALHOST", "app.localhost", "127.0.0.1", "127.1.2.3",
                                  "::1", "[::1]", "0.0.0.0", "::", "::ffff:127.0.0.1", "localhost."])
def test_loopback_hosts_are_recognised(host):
    assert is_loopback_host(host)


@pytest.mark.parametrize("host", ["192.168.1.20", "10.0.0.5", "cevis.example.org", "[fe80::1]",
                                  "localhost.example.org", "128.0.0.1", "", None])
def test_other_hosts_are_not_loopback(host):
    assert not is_loopback_host(host)


@pytest.mark.parametrize("page, expected", [
    ("http://192.168.1.20:8501/room", "http://192.168.1.20:8501/room?room=K7PQ2M"),
    ("http://192.168.1.20:8501/room/", "http://192.168.1.20:8501/room?room=K7PQ2M"),
    ("https://school.example.org/cevis/room?room=ZZZZZZ", "https://school.example.org/cevis/room?room=K7PQ2M"),
    ("https://school.example.org/cevis/", "https://school.example.org/cevis/room?room=K7PQ2M"),
    ("http://10.0.0.5:8501", "http://10.0.0.5:8501/room?room=K7PQ2M"),
])
def test_the_link_follows_the_teachers_address_when_phones_can_reach_it(page, expected):
    link = join_link("K7PQ2M", page)
    assert link == (expected, "", False)


@pytest.mark.parametrize("page", ["http://localhost:8501/room", "http://127.0.0.1:8501/room",
                                  "http://[::1]:8501/room"])
def test_a_loopback_address_is_kept_but_the_teacher_is_told_how_to_fix_it(page):
    link = join_link("K7PQ2M", page)
    assert link.url == page + "?room=K7PQ2M"
    assert not link.from_setting
    assert link.warning.startswith("Phones cannot open this link")
    for fix in ("Network URL", PUBLIC_URL_ENV, "--server.address 0.0.0.0"):
        assert fix in link.warning


@pytest.mark.parametrize("base, expected", [
    ("http://192.168.1.20:8501", "http://192.168.1.20:8501/room?room=K7PQ2M"),
    ("http://192.168.1.20:8501/", "http://192.168.1.20:8501/room?room=K7PQ2M"),
    ("  https://cevis.example.org/class/ ", "https://cevis.example.org/class/room?room=K7PQ2M"),
])
def test_a_public_base_replaces_the_teachers_loopback_address(base, expected):
    assert join_link("K7PQ2M", "http://localhost:8501/room", base) == (expected, "", True)


@pytest.mark.parametrize("base, reason", [
    ("192.168.1.20:8501", "must start with http:// or https://"),
    ("ftp://192.168.1.20", "must start with http:// or https://"),
    ("javascript:alert(1)", "must start with http:// or https://"),
    ("http://", "needs a host name"),
    ("http://host name:8501", "needs a host name"),
    ("http://192.168.1.20:99999", "check the port number"),
    ("http://192.168.1.20:8501/?x=1", "no user name, ? or #"),
    ("http://user@192.168.1.20:8501", "no user name, ? or #"),
    ("http://" + "a" * 300 + ".org", "longer than 300 characters"),
])
def test_a_bad_public_base_is_refused_with_a_reason_and_the_page_address_is_used(base, reason):
    cleaned, why = clean_public_base(base)
    assert cleaned is None and reason in why
    link = join_link("K7PQ2M", "http://192.168.1.20:8501/room", base)
    assert link.url == "http://192.168.1.20:8501/room?room=K7PQ2M"
    assert reason in link.warning and "uses the address of this page instead" in link.warning


def test_an_empty_setting_is_no_setting():
    assert clean_public_base("") == (None, "")
    assert clean_public_base("   ") == (None, "")
    assert clean_public_base(None) == (None, "")


def test_a_public_base_on_loopback_is_still_warned_about():
    link = join_link("K7PQ2M", "http://192.168.1.20:8501/room", "http://127.0.0.1:8080")
    assert link.url == "http://127.0.0.1:8080/room?room=K7PQ2M"
    assert link.from_setting and link.warning.startswith("Phones cannot open this link: 127.0.0.1")


def test_no_page_address_gives_a_relative_link():
    assert join_link("K7PQ2M", None) == ("/room?room=K7PQ2M", "", False)

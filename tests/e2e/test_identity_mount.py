"""Where the device-cookie mount is drawn, over the real websocket (widgets/identity.py).

A tab whose websocket opened with a valid `cevis_device` cookie gets no identity component
on a learner's page (the server already knows the device: the mount would only cost each
run); a tab without one gets it everywhere (it sets the cookie), and every tab gets it where
rooms are opened and joined (the Room page, a `?room=` link), where it reports the device and
a teacher link's secret.
"""

import secrets

import pytest

from .helpers import run_async
from .roomclient import Tab

IDENTITY = "cevis_identity"


class ComponentTab(Tab):
    """A Tab that also notes the components-v2 elements each run draws."""

    components: list

    async def run(self, *args, **kwargs):
        self.components = []
        return await super().run(*args, **kwargs)

    def _note(self, element) -> None:
        super()._note(element)
        if element.WhichOneof("type") == "bidi_component":
            self.components.append(element.bidi_component.component_name)


def mounted(url: str, device: str | None, page: str, query: str = "") -> bool:
    async def go():
        async with ComponentTab(url, device=device) as tab:
            await tab.run(page, query)
            await tab.run(page, query)  # a second run: the learner's drag
            assert not tab.exceptions, tab.exceptions
            return any(name.endswith(IDENTITY) for name in tab.components)
    return run_async(go())


@pytest.mark.parametrize("page,query,with_cookie,expected", [
    ("explorer", "", True, False),
    ("descent", "", True, False),
    ("explorer", "", False, True),
    ("room", "", True, True),
    ("explorer", "room=ABCD", True, True),
])
def test_the_identity_mount_is_drawn_only_where_it_has_work(app_url, page, query, with_cookie,
                                                            expected):
    device = secrets.token_urlsafe(16) if with_cookie else None
    assert mounted(app_url, device, page, query) is expected


def test_an_invalid_cookie_is_not_known_so_the_mount_sets_one(app_url):
    assert mounted(app_url, "short!", "explorer") is True

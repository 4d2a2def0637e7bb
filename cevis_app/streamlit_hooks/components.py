"""A components-v2 component's files served by URL, not sent inline with every mount.

A component declared with inline JS and CSS sends them in every element message: the live
view's 72 KB went to each phone on every rerun and every room push (100 phones, 7 MB a
teacher's move over a classroom's Wi-Fi). Streamlit serves a component's files from its
``asset_dir`` at ``/_stcore/bidi-components/<name>/<file>`` when a package declares it in
a pyproject manifest; the app is not an installed package, so this registers the same kind
of manifest on the running server for files written once per process to a temporary folder.
The browser then fetches the JS once per page load (and its module cache keeps it), and each
mount carries only its data. Streamlit 1.67:
- ``components.v2.manifest_scanner.ComponentManifest``/``ComponentConfig`` (what a
  pyproject's ``[tool.streamlit.component]`` becomes);
- ``BidiComponentManager.register_from_manifest`` and ``get_component_asset_root``
  (components/v2/component_manager.py line 154, 281), on the Runtime's manager
  (``Runtime.instance().bidi_component_registry``), whose route serves the files.
Fallback when missing (or with no Runtime: AppTest, bare mode): ``serve_files`` returns
False and the component keeps its inline JS and CSS.
"""

from __future__ import annotations

import atexit
import functools
import pathlib
import shutil
import tempfile

from cevis_app.streamlit_hooks.registry import LOG
from cevis_app.streamlit_hooks.registry import _fallback
from cevis_app.streamlit_hooks.registry import capability
from cevis_app.streamlit_hooks.registry import has

ASSETS = "assets"  # the asset_dir inside the temporary package root


@capability("component_asset_dir")
def _manifest_types():
    try:
        from streamlit.components.v2.component_manager import BidiComponentManager
        from streamlit.components.v2.manifest_scanner import ComponentConfig
        from streamlit.components.v2.manifest_scanner import ComponentManifest
        from streamlit.runtime import Runtime
    except ImportError:
        return None
    needed = ("register_from_manifest", "get_component_asset_root")
    if not all(hasattr(BidiComponentManager, n) for n in needed) \
            or not hasattr(Runtime, "bidi_component_registry"):
        return None
    return ComponentManifest, ComponentConfig


@functools.cache
def _package_root(files: tuple) -> pathlib.Path:
    """A temporary folder holding ASSETS/<name> for each (name, text): written once per process,
    removed when the process exits (a supervised worker restarted all term long would otherwise
    leave one folder behind per start)."""
    root = pathlib.Path(tempfile.mkdtemp(prefix="cevis-assets-"))
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    (root / ASSETS).mkdir()
    for name, text in files:
        (root / ASSETS / name).write_text(text, encoding="utf-8")
    return root


def serve_files(package: str, component: str, files: dict[str, str]) -> bool:
    """Serve ``files`` ({file name: text}) as component ``package.component``'s asset_dir on
    the running server (once per runtime). True if its URL route now has them; False without
    a Runtime or the hook (then send the files inline)."""
    types = _manifest_types() if has("component_asset_dir") else None
    if types is None:
        _fallback("component_asset_dir", "the live view's JS and CSS go inline with each mount")
        return False
    from streamlit.runtime import Runtime

    if not Runtime.exists():
        return False
    manager = Runtime.instance().bidi_component_registry
    name = f"{package}.{component}"
    if manager.get_component_asset_root(name) is not None:
        return True
    manifest_type, config_type = types
    try:
        root = _package_root(tuple(sorted(files.items())))
        manager.register_from_manifest(
            manifest_type(name=package, version="0", components=[config_type(name=component,
                                                                             asset_dir=ASSETS)]),
            root)
    except Exception:  # noqa: BLE001  an unwritable temp dir, a changed manifest: inline
        LOG.exception("cevis: could not serve the %s component's files; sending them inline", name)
        return False
    return manager.get_component_asset_root(name) is not None

"""Offline map assets: serve Leaflet and friends from the app instead of CDNs.

streamlit-folium's frontend loads every script and stylesheet a folium map lists
(``default_js`` / ``default_css`` of the map and of each plugin) from its URL, one
script after the other, and leaves the map blank if any of them fails. Folium points
them at CDNs. This module copies the files from the XStatic pip packages into the
app's ``static/`` folder, which Streamlit serves at ``/app/static/`` when
``server.enableStaticServing`` is on, and points the map at those copies.

Typical use in ``app.py``::

    ensure_static_assets(Path(__file__).parent / "static")  # cheap: run it every rerun
    m = offline_map(location=[17.5, -4.0], zoom_start=5)  # an OfflineMap: no tiles
    ...  # add layers, LayerControl
    st_folium(m, key="map", feature_group_to_add=make_offline(period_group), ...)
"""

from __future__ import annotations

import importlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import branca.colormap
import folium
from branca.element import Element

#: URL under which Streamlit serves ``<app dir>/static/vendor`` (static serving on).
VENDOR_URL = "/app/static/vendor"
#: Folder under ``static/`` that this module owns and fills.
VENDOR_DIR_NAME = "vendor"

#: Files copied from each XStatic package: (package, file in its data dir, target
#: under ``static/vendor``). Leaflet's CSS finds its images relative to itself.
VENDOR_FILES: tuple[tuple[str, str, str], ...] = (
    ("leaflet", "leaflet.js", "leaflet/leaflet.js"),
    ("leaflet", "leaflet.css", "leaflet/leaflet.css"),
    ("leaflet", "images/layers.png", "leaflet/images/layers.png"),
    ("leaflet", "images/layers-2x.png", "leaflet/images/layers-2x.png"),
    ("leaflet", "images/marker-icon.png", "leaflet/images/marker-icon.png"),
    ("leaflet", "images/marker-icon-2x.png", "leaflet/images/marker-icon-2x.png"),
    ("leaflet", "images/marker-shadow.png", "leaflet/images/marker-shadow.png"),
    ("jquery", "jquery.min.js", "jquery/jquery.min.js"),
    (
        "leaflet_markercluster",
        "leaflet.markercluster-src.js",
        "leaflet.markercluster/leaflet.markercluster.js",
    ),
    ("leaflet_markercluster", "MarkerCluster.css", "leaflet.markercluster/MarkerCluster.css"),
    (
        "leaflet_markercluster",
        "MarkerCluster.Default.css",
        "leaflet.markercluster/MarkerCluster.Default.css",
    ),
)

#: Name and path under ``static/vendor`` of the one script this module writes itself.
ICON_PATH_ASSET = "leaflet_icon_path"
ICON_PATH_SCRIPT = "leaflet/icon-path.js"
#: Leaflet finds its default marker images through leaflet.css, but streamlit-folium adds
#: the stylesheets only after the map script has run, and Leaflet 1.9.3's fallback then
#: builds a wrong folder ("/app/static/vendor/leaflet" + "marker-icon.png"). Loaded right
#: after leaflet.js, this sets the folder from the script's own URL.
ICON_PATH_JS = """\
// Written by layers/assets.py (ensure_static_assets): do not edit.
L.Icon.Default.imagePath = new URL("images/", document.currentScript.src).href;
"""

#: Leaflet needs a maximum zoom for marker clusters; a tile layer usually gives it.
DEFAULT_MAX_ZOOM = 18

#: Folium's asset names (first item of each ``default_js``/``default_css`` pair) that
#: have a local copy, and that copy's path under ``static/vendor``.
LOCAL_ASSETS: dict[str, str] = {
    "leaflet": "leaflet/leaflet.js",
    ICON_PATH_ASSET: ICON_PATH_SCRIPT,
    "leaflet_css": "leaflet/leaflet.css",
    # Folium's Popup builds its content with jQuery: ``$(`<div ...>`)[0]``.
    "jquery": "jquery/jquery.min.js",
    "markerclusterjs": "leaflet.markercluster/leaflet.markercluster.js",
    "markerclustercss": "leaflet.markercluster/MarkerCluster.css",
    "markerclusterdefaultcss": "leaflet.markercluster/MarkerCluster.Default.css",
}

#: Assets folium.Map lists that the dashboard does not use: Bootstrap and
#: Glyphicons (only for folium's own HTML widgets) and awesome-markers with Font
#: Awesome (only for ``folium.Icon``, which ``make_offline`` refuses).
DROPPED_ASSETS: frozenset[str] = frozenset(
    {
        "bootstrap",
        "bootstrap_css",
        "glyphicons_css",
        "awesome_markers",
        "awesome_markers_css",
        "awesome_markers_font_css",
        "awesome_rotate_css",
    }
)

ElementT = TypeVar("ElementT", bound=Element)


class OfflineAssetError(ValueError):
    """A map element needs a script or stylesheet that has no local copy."""


def ensure_static_assets(static_dir: str | Path) -> None:
    """Copy the vendored map assets into ``static_dir / "vendor"``.

    Idempotent and cheap when the copies are current: a file is copied only if its
    size or modification time differs from the source. Each copy is written to a
    temporary file and renamed into place, so a browser never gets half a file.

    Parameters
    ----------
    static_dir
        The ``static`` folder next to ``app.py`` (Streamlit serves it at
        ``/app/static/``). Created if missing.
    """
    vendor_dir = Path(static_dir) / VENDOR_DIR_NAME
    for package, source, target in VENDOR_FILES:
        _copy_if_changed(_xstatic_dir(package) / source, vendor_dir / target)
    _write_if_changed(ICON_PATH_JS, vendor_dir / ICON_PATH_SCRIPT)


class OfflineMap(folium.Map):
    """A ``folium.Map`` that loads its scripts from the app, with no tiles by default.

    It runs `make_offline` on itself when created and again whenever it renders, so
    plugins added later are caught too (st_folium renders the map before it collects the
    links). Feature groups given to ``st_folium(feature_group_to_add=...)`` are added
    after that render: pass them through `make_offline` yourself.

    Parameters
    ----------
    vendor_url
        URL at which ``static/vendor`` is served.
    **kwargs
        Passed to ``folium.Map``. ``tiles`` defaults to ``None`` (tile servers are
        online; draw vector context layers instead). folium gives ``min_zoom`` and
        ``max_zoom`` to the tile layer only, so they also become the map's own
        ``minZoom`` and ``maxZoom`` options; ``maxZoom`` defaults to 18, as without
        tiles Leaflet has no maximum zoom, which marker clusters need.
    """

    def __init__(self, *, vendor_url: str = VENDOR_URL, **kwargs: Any) -> None:
        kwargs.setdefault("tiles", None)
        kwargs.setdefault("maxZoom", kwargs.get("max_zoom") or DEFAULT_MAX_ZOOM)
        if kwargs.get("min_zoom") is not None:
            kwargs.setdefault("minZoom", kwargs["min_zoom"])
        super().__init__(**kwargs)
        self.vendor_url = vendor_url
        make_offline(self, base_url=vendor_url)

    # branca types Element.render as returning the text; folium's Map.render returns None.
    def render(self, **kwargs: Any) -> None:  # type: ignore[override]
        """Point every element at local assets, then render as ``folium.Map`` does."""
        make_offline(self, base_url=self.vendor_url)
        super().render(**kwargs)  # type: ignore[no-untyped-call]  # folium has no annotations


def offline_map(**kwargs: Any) -> OfflineMap:
    """Build a map that needs nothing from the internet.

    Parameters
    ----------
    **kwargs
        Passed to `OfflineMap` (``location``, ``zoom_start``, ...).

    Returns
    -------
    OfflineMap
        A ``folium.Map`` whose scripts and stylesheets are served by the app.
    """
    return OfflineMap(**kwargs)


def make_offline(element: ElementT, *, base_url: str = VENDOR_URL) -> ElementT:
    """Point an element's scripts and stylesheets, and its children's, at local copies.

    `OfflineMap` does it for itself and its children. Call it on every feature group
    passed to ``st_folium(feature_group_to_add=...)``: st_folium adds those to the map
    after rendering it, and collects their assets then. Safe to call more than once.

    Parameters
    ----------
    element
        A ``folium.Map``, ``folium.FeatureGroup`` or any other element.
    base_url
        URL at which ``static/vendor`` is served.

    Returns
    -------
    Element
        The same element, changed in place.

    Raises
    ------
    OfflineAssetError
        If an element needs an asset with no local copy (e.g. the Timeline or
        Fullscreen plugins), uses ``folium.Icon`` (awesome-markers, dropped) or a
        branca colormap (streamlit-folium then loads d3 from a CDN).
    """
    for child in walk(element):
        _refuse_unsupported(child)
        for attr in ("default_js", "default_css"):
            assets = getattr(child, attr, None)
            if assets:
                # An instance attribute: folium's lists are class attributes shared
                # by every map, and must stay untouched.
                setattr(child, attr, _localised(assets, base_url))
    return element


def asset_urls(element: Element) -> list[str]:
    """List the script and stylesheet URLs st_folium would load for an element.

    Returns
    -------
    list of str
        URLs without duplicates, scripts first (see :func:`asset_links`).
    """
    css, js = asset_links(element)
    return list(dict.fromkeys(js + css))


def asset_links(element: Element) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The stylesheet and script URLs st_folium would load for an element, in its order.

    Mirrors ``streamlit_folium.st_folium``: each element's ``default_css`` and
    ``default_js``, plus the two d3 URLs it puts first for any branca colormap.

    Parameters
    ----------
    element
        A map or any element in it.

    Returns
    -------
    tuple
        ``(css, js)``, each without duplicates.
    """
    js: list[str] = []
    css: list[str] = []
    for child in walk(element):
        if isinstance(child, branca.colormap.ColorMap):
            js[:0] = [
                "https://d3js.org/d3.v4.min.js",
                "https://cdnjs.cloudflare.com/ajax/libs/d3/3.5.5/d3.min.js",
            ]
        js.extend(url for _, url in getattr(child, "default_js", []))
        css.extend(url for _, url in getattr(child, "default_css", []))
    return tuple(dict.fromkeys(css)), tuple(dict.fromkeys(js))


def walk(element: Element) -> Iterator[Element]:
    """Yield an element and all its descendants, depth first.

    Parameters
    ----------
    element
        Root of the tree.

    Yields
    ------
    Element
        ``element`` then each descendant.
    """
    yield element
    for child in element._children.values():
        yield from walk(child)


def _localised(assets: list[tuple[str, str]], base_url: str) -> list[tuple[str, str]]:
    """Map folium ``(name, url)`` asset pairs to local URLs, dropping unused ones.

    Keyed by name, so running it on its own output changes nothing.
    """
    base_url = base_url.rstrip("/")
    local: dict[str, str] = {}
    for name, url in assets:
        if name in DROPPED_ASSETS:
            continue
        if name in LOCAL_ASSETS:
            local[name] = f"{base_url}/{LOCAL_ASSETS[name]}"
            if name == "leaflet":
                local[ICON_PATH_ASSET] = f"{base_url}/{ICON_PATH_SCRIPT}"
        elif _is_remote(url):
            msg = (
                f"No local copy of map asset {name!r} ({url}): add it to "
                "layers.assets.VENDOR_FILES and LOCAL_ASSETS from an XStatic package, "
                "or do without the plugin that needs it."
            )
            raise OfflineAssetError(msg)
        else:
            local[name] = url
    return list(local.items())


def _refuse_unsupported(element: Element) -> None:
    """Raise if an element cannot work offline whatever its asset lists say."""
    if isinstance(element, folium.Icon):
        msg = (
            "folium.Icon needs awesome-markers and Font Awesome from CDNs; use "
            "folium.CircleMarker, a default folium.Marker or folium.DivIcon instead."
        )
        raise OfflineAssetError(msg)
    if isinstance(element, branca.colormap.ColorMap):
        msg = (
            "A branca colormap makes streamlit-folium load d3 from two CDNs; "
            "draw the legend as plain HTML instead."
        )
        raise OfflineAssetError(msg)


def _is_remote(url: str) -> bool:
    """Whether a URL points off the app: absolute http(s) or protocol-relative."""
    return url.startswith(("http://", "https://", "//"))


def _xstatic_dir(package: str) -> Path:
    """Return the data folder of ``xstatic.pkg.<package>``."""
    module = importlib.import_module(f"xstatic.pkg.{package}")
    return Path(module.BASE_DIR)


def _copy_if_changed(source: Path, target: Path) -> None:
    """Copy ``source`` to ``target`` unless their sizes and mtimes already match."""
    src = source.stat()
    if target.exists():
        dst = target.stat()
        if (dst.st_size, dst.st_mtime_ns) == (src.st_size, src.st_mtime_ns):
            return
    _replace_atomically(target, lambda tmp: shutil.copy2(source, tmp))


def _write_if_changed(text: str, target: Path) -> None:
    """Write ``text`` to ``target`` unless it already holds exactly that."""
    data = text.encode()
    if target.exists() and target.read_bytes() == data:
        return
    _replace_atomically(target, lambda tmp: tmp.write_bytes(data))


def _replace_atomically(target: Path, write: Callable[[Path], object]) -> None:
    """Create ``target`` with ``write(tmp)`` on a temporary file renamed into place.

    A browser fetching ``target`` meanwhile gets the old file or the new one, never half.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        tmp.chmod(0o644)  # mkstemp makes it private; the server may run as another user
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise

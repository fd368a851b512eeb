"""Tests of layers/assets.py: the map's scripts and stylesheets come from the app, not CDNs."""

from __future__ import annotations

import json
import re
import shutil
import textwrap
from pathlib import Path

import branca.colormap
import folium
import folium.plugins
import pytest
from conftest import PROJECT_DIR, StartStreamlit, wait_for_map
from playwright.sync_api import Page, expect
from streamlit.testing.v1 import AppTest

from layers.assets import (
    ICON_PATH_SCRIPT,
    LOCAL_ASSETS,
    VENDOR_DIR_NAME,
    VENDOR_FILES,
    VENDOR_URL,
    OfflineAssetError,
    asset_urls,
    ensure_static_assets,
    make_offline,
    offline_map,
)

URL = re.compile(r"https?://|//[a-z0-9.-]+\.[a-z]{2,}/", re.IGNORECASE)
SRC_OR_HREF = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']""")

POLYGON = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"name": "Test region"},
            "geometry": {
                "type": "Polygon",
                "coordinates": [
                    [[-4.0, 14.0], [-1.0, 14.0], [-1.0, 16.0], [-4.0, 16.0], [-4.0, 14.0]]
                ],
            },
        }
    ],
}


def full_map() -> folium.Map:
    """An offline map with every kind of element the dashboard uses."""
    m = offline_map(location=[16.0, -2.0], zoom_start=6)
    folium.GeoJson(
        POLYGON, name="Regions", tooltip=folium.GeoJsonTooltip(["name"]), popup=None
    ).add_to(m)
    towns = folium.FeatureGroup(name="Towns").add_to(m)
    folium.CircleMarker(
        [16.77, -3.01], radius=8, popup=folium.Popup("Tombouctou"), tooltip="Tombouctou"
    ).add_to(towns)
    folium.Marker([16.27, -0.04], tooltip="Gao").add_to(towns)
    cluster = folium.plugins.MarkerCluster(name="Incidents").add_to(m)
    folium.CircleMarker([18.44, 1.41], radius=4).add_to(cluster)
    folium.LayerControl().add_to(m)
    return m  # added after offline_map(): OfflineMap.render localises them


# --- ensure_static_assets ---------------------------------------------------------------------


def test_ensure_static_assets_copies_every_vendor_file(tmp_path: Path) -> None:
    ensure_static_assets(tmp_path / "static")

    vendor = tmp_path / "static" / VENDOR_DIR_NAME
    copied = sorted(p.relative_to(vendor).as_posix() for p in vendor.rglob("*") if p.is_file())
    assert copied == sorted([ICON_PATH_SCRIPT, *(target for _, _, target in VENDOR_FILES)])
    assert set(LOCAL_ASSETS.values()) <= set(copied)
    assert (vendor / "leaflet" / "leaflet.js").read_text().find("1.9.3") >= 0


def test_ensure_static_assets_is_idempotent_and_repairs(tmp_path: Path) -> None:
    static = tmp_path / "static"
    ensure_static_assets(static)
    leaflet_js = static / VENDOR_DIR_NAME / "leaflet" / "leaflet.js"
    jquery_js = static / VENDOR_DIR_NAME / "jquery" / "jquery.min.js"
    first = jquery_js.stat()
    leaflet_js.write_text("truncated")

    ensure_static_assets(static)

    assert jquery_js.stat().st_ino == first.st_ino  # current copies are left alone
    assert "truncated" not in leaflet_js.read_text()  # changed ones are copied again
    assert not [p for p in static.rglob(".*") if p.is_file()]  # no temporary files left


# --- make_offline / offline_map ---------------------------------------------------------------


def test_offline_map_html_has_no_external_url() -> None:
    html = full_map().get_root().render()
    assert "MarkerCluster.css" in html

    assert not URL.findall(html), URL.findall(html)
    links = SRC_OR_HREF.findall(html)
    assert links
    assert all(link.startswith(f"{VENDOR_URL}/") for link in links), links


def test_asset_urls_are_local_files(tmp_path: Path) -> None:
    ensure_static_assets(tmp_path / "static")

    m = full_map()
    m.get_root().render()  # as st_folium does before collecting the links
    urls = asset_urls(m)

    assert {url.rsplit("/", 1)[-1] for url in urls} == {
        "leaflet.js",
        "icon-path.js",
        "jquery.min.js",
        "leaflet.markercluster.js",
        "leaflet.css",
        "MarkerCluster.css",
        "MarkerCluster.Default.css",
    }
    for url in urls:
        local = tmp_path / "static" / url.removeprefix("/app/static/")
        assert local.is_file(), url


def test_offline_map_zoom_limits_apply_without_tiles() -> None:
    script = offline_map(min_zoom=3, max_zoom=12).get_root().render()

    assert '"minZoom": 3' in script
    assert '"maxZoom": 12' in script
    assert '"maxZoom": 18' in offline_map().get_root().render()


def test_make_offline_on_a_feature_group_for_st_folium() -> None:
    group = folium.FeatureGroup(name="Period")
    folium.plugins.MarkerCluster().add_to(group)

    make_offline(group)

    assert asset_urls(group)
    assert all(url.startswith(f"{VENDOR_URL}/") for url in asset_urls(group))


def test_make_offline_leaves_folium_defaults_alone() -> None:
    before = (list(folium.Map.default_js), list(folium.plugins.MarkerCluster.default_css))

    full_map().get_root().render()

    assert (folium.Map.default_js, folium.plugins.MarkerCluster.default_css) == before
    assert any(URL.match(url) for url in asset_urls(folium.Map(tiles=None)))


def test_make_offline_twice_changes_nothing() -> None:
    m = full_map()
    once = asset_urls(make_offline(m))

    assert asset_urls(make_offline(m)) == once


def test_make_offline_takes_another_base_url() -> None:
    m = make_offline(folium.Map(tiles=None), base_url="/dash/app/static/vendor/")

    assert "/dash/app/static/vendor/leaflet/leaflet.js" in asset_urls(m)


def _with_icon() -> folium.Map:
    m = folium.Map(tiles=None)
    folium.Marker([16.0, -2.0], icon=folium.Icon(color="red")).add_to(m)
    return m


def _with_colormap() -> folium.Map:
    m = folium.Map(tiles=None)
    branca.colormap.LinearColormap(["white", "red"], vmin=0, vmax=1).add_to(m)
    return m


def _with_fullscreen() -> folium.Map:
    m = folium.Map(tiles=None)
    folium.plugins.Fullscreen().add_to(m)
    return m


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (_with_icon, r"folium\.Icon"),
        (_with_colormap, "d3"),
        (_with_fullscreen, "No local copy of map asset"),
    ],
    ids=["awesome-marker-icon", "branca-colormap", "plugin-without-local-copy"],
)
def test_make_offline_refuses_what_needs_a_cdn(build, message: str) -> None:
    with pytest.raises(OfflineAssetError, match=message):
        make_offline(build())


def test_offline_map_refuses_at_render_what_needs_a_cdn() -> None:
    m = offline_map()
    folium.Marker([16.0, -2.0], icon=folium.Icon(color="red")).add_to(m)

    with pytest.raises(OfflineAssetError, match=r"folium\.Icon"):
        m.get_root().render()


def test_st_folium_sends_only_local_links() -> None:
    """What st_folium hands its frontend: the links it will load, and the map's header."""

    def app() -> None:
        import folium
        from streamlit_folium import st_folium

        from layers.assets import make_offline, offline_map

        m = offline_map(location=[16.0, -2.0], zoom_start=6)
        folium.CircleMarker([16.77, -3.01], popup="Tombouctou").add_to(m)
        folium.plugins.MarkerCluster().add_to(m)  # added after creation
        group = folium.FeatureGroup(name="Period")
        folium.plugins.MarkerCluster().add_to(group)
        st_folium(m, key="map", feature_group_to_add=make_offline(group), returned_objects=[])

    at = AppTest.from_function(app).run()

    assert not at.exception
    args = json.loads(at.get("component_instance")[0].proto.json_args)
    assert args["js_links"] == [
        f"{VENDOR_URL}/leaflet/leaflet.js",
        f"{VENDOR_URL}/{ICON_PATH_SCRIPT}",
        f"{VENDOR_URL}/jquery/jquery.min.js",
        f"{VENDOR_URL}/leaflet.markercluster/leaflet.markercluster.js",
    ]
    assert all(link.startswith(f"{VENDOR_URL}/") for link in args["css_links"])
    for part in ("header", "html", "script", "feature_group"):
        assert not URL.findall(args[part] or ""), part


# --- in Chromium, with every external request aborted ----------------------------------------

SMOKE_APP = """
from pathlib import Path

import folium
import folium.plugins
import streamlit as st
from streamlit_folium import st_folium

from layers.assets import ensure_static_assets, make_offline, offline_map

ensure_static_assets(Path(__file__).parent / "static")

POLYGON = {polygon}

st.title("Offline smoke test")
m = offline_map(location=[16.0, -2.0], zoom_start=6)
regions = folium.FeatureGroup(name="Regions").add_to(m)
folium.GeoJson(
    POLYGON,
    tooltip=folium.GeoJsonTooltip(["name"]),
    style_function=lambda _: {{"className": "region", "color": "#8c2d04", "weight": 2}},
).add_to(regions)
towns = folium.FeatureGroup(name="Towns").add_to(m)
folium.CircleMarker(
    [15.0, 0.0],
    radius=14,
    color="#08519c",
    fill=True,
    class_name="town",
    popup=folium.Popup('<a href="https://example.org/report" target="_blank">Source report</a>'),
    tooltip="Test town",
).add_to(towns)
folium.Marker([15.5, -3.5], tooltip="Default Leaflet marker").add_to(towns)
folium.LayerControl(collapsed=False).add_to(m)

incidents = folium.FeatureGroup(name="Incidents")
cluster = folium.plugins.MarkerCluster().add_to(incidents)
for lat, lon in [(17.5, 1.0), (17.51, 1.01), (17.52, 1.02)]:
    folium.CircleMarker([lat, lon], radius=5).add_to(cluster)

st_folium(
    m,
    key="map",
    height=500,
    use_container_width=True,
    feature_group_to_add=make_offline(incidents),
    returned_objects=[],
)
"""


@pytest.fixture
def smoke_app(tmp_path: Path) -> Path:
    """A throwaway one-map Streamlit app, with the project's Streamlit config, in tmp_path."""
    (tmp_path / ".streamlit").mkdir()
    shutil.copy(PROJECT_DIR / ".streamlit" / "config.toml", tmp_path / ".streamlit")
    app = tmp_path / "app.py"
    app.write_text(textwrap.dedent(SMOKE_APP).format(polygon=repr(POLYGON)))
    return app


@pytest.mark.browser
def test_map_renders_offline_in_chromium(
    smoke_app: Path, start_streamlit: StartStreamlit, page: Page, artifacts_dir: Path
) -> None:
    base_url = start_streamlit(app_path=smoke_app, env={"PYTHONPATH": str(PROJECT_DIR)})

    page.goto(base_url)
    frame = wait_for_map(page)

    expect(frame.locator(".leaflet-container path.leaflet-interactive.region")).to_have_count(1)
    expect(frame.locator(".leaflet-container path.leaflet-interactive.town")).to_have_count(1)
    expect(frame.locator(".marker-cluster")).to_have_text("3")
    marker_icon = frame.locator("img.leaflet-marker-icon")  # Leaflet's own blue marker
    expect(marker_icon).to_have_attribute("src", re.compile(r"/vendor/leaflet/images/marker-icon"))
    marker_icon.evaluate("img => img.decode()")  # rejects if the image did not load

    frame.locator("path.town").hover()
    expect(frame.locator(".leaflet-tooltip")).to_have_text("Test town")
    frame.locator("path.town").click()
    link = frame.locator(".leaflet-popup-content a")
    expect(link).to_have_text("Source report")
    expect(link).to_have_attribute("href", "https://example.org/report")
    expect(frame.locator(".leaflet-popup")).to_have_css("opacity", "1")  # faded in

    layers = frame.locator(".leaflet-control-layers")
    expect(layers).to_contain_text("Regions")
    expect(layers).to_contain_text("Towns")
    page.screenshot(path=artifacts_dir / "offline_smoke.png")
    layers.get_by_text("Regions").click()
    expect(frame.locator("path.region")).to_have_count(0)

    assert page.aborted_urls == []  # type: ignore[attr-defined]
    assert page.console_errors == []  # type: ignore[attr-defined]

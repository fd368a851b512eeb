"""The map itself in a real browser: popups, clusters, stamp, legend, zoom and wheel.

Every wait polls the page (Playwright's ``expect`` and ``wait_for_function``); nothing sleeps.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from conftest import PROJECT_DIR, wait_for_idle, wait_for_map
from playwright.sync_api import FrameLocator, Page, expect

from layers.towns import town_radius
from mali_geo.catalogue import build_layers
from mali_geo.dataset import load_dataset
from mali_geo.period import make_period

pytestmark = pytest.mark.browser

REGIONS = 'path.leaflet-interactive[stroke="#555555"]'
TOWNS = 'path.leaflet-interactive[stroke="#7a0177"]'
BASES = 'path.leaflet-interactive[stroke="#000000"]'
INCIDENT_POINTS = 'path.leaflet-interactive[stroke="#ffffff"]'
MAP = ".leaflet-container"
CONTEXT_SWITCH = "Context (countries, Niger river, lakes)"


def open_map(page: Page, base_url: str, query: str = "", drawn: str = REGIONS) -> FrameLocator:
    page.goto(f"{base_url}/{query}")
    frame = wait_for_map(page)
    frame.locator(drawn).first.wait_for()
    wait_for_idle(page)
    return frame


def in_map(frame: FrameLocator, script: str, arg: Any = None) -> Any:
    """Evaluate ``script`` (a function of the Leaflet map and ``arg``) in the map's frame."""
    return frame.locator(MAP).evaluate(
        f"(el, arg) => ({script})(el.ownerDocument.defaultView.map, arg)", arg
    )


def wait_in_map(page: Page, script: str, arg: Any = None) -> None:
    """Poll until ``script`` (a function of the map and ``arg``) is true in the map's frame."""
    page.wait_for_function(
        """([script, arg]) => {
            const frame = document.querySelector("iframe[title='streamlit_folium.st_folium']");
            const map = frame && frame.contentWindow && frame.contentWindow.map;
            return Boolean(map && frame.contentWindow.eval(script)(map, arg));
        }""",
        arg=[script, arg],
    )


def mark_frame(frame: FrameLocator) -> None:
    """Leave a mark in the map's window: it survives in-place updates, not a remount."""
    frame.locator(MAP).evaluate("el => { el.ownerDocument.defaultView.__kept = true; }")


def frame_kept(frame: FrameLocator) -> bool:
    return bool(frame.locator(MAP).evaluate("el => el.ownerDocument.defaultView.__kept === true"))


def box(locator: Any) -> dict[str, float]:
    found = locator.bounding_box()
    assert found is not None
    return found


def inside(inner: dict[str, float], outer: dict[str, float], slack: float = 1) -> bool:
    return (
        inner["x"] >= outer["x"] - slack
        and inner["y"] >= outer["y"] - slack
        and inner["x"] + inner["width"] <= outer["x"] + outer["width"] + slack
        and inner["y"] + inner["height"] <= outer["y"] + outer["height"] + slack
    )


def place_point(frame: FrameLocator, name: str, zoom: float | None = None) -> dict[str, float]:
    """The page coordinates of a place of ``geodata/places.csv``, centred at ``zoom`` if given."""
    places = pd.read_csv(PROJECT_DIR / "geodata" / "places.csv")
    row = places[places["name"] == name].iloc[0]
    latlng = [float(row["lat"]), float(row["lon"])]
    if zoom is not None:
        in_map(frame, "(map, [ll, z]) => map.setView(ll, z, {animate: false})", [latlng, zoom])
    point = in_map(frame, "(map, ll) => map.latLngToContainerPoint(ll)", latlng)
    container = box(frame.locator(MAP))
    return {"x": container["x"] + point["x"], "y": container["y"] + point["y"]}


def visible_clusters(page: Page, frame: FrameLocator) -> list[tuple[int, tuple[float, float]]]:
    """The clusters inside the map and the window: their count and their centre on the page."""
    container = box(frame.locator(MAP))
    window = page.viewport_size or {"width": 0, "height": 0}
    shown = []
    clusters = frame.locator(".mali-cluster")
    for i in range(clusters.count()):
        found = box(clusters.nth(i))
        x, y = found["x"] + found["width"] / 2, found["y"] + found["height"] / 2
        if inside(found, container) and 0 < x < window["width"] and 0 < y < window["height"]:
            shown.append((int(clusters.nth(i).inner_text()), (x, y)))
    return shown


def gao_radius() -> float:
    """The radius in pixels of Gao's circle in the towns layer, over the whole study period."""
    towns = build_layers(load_dataset(), make_period("2012-01", "2014-12"), layers=["towns"])
    gao = towns["towns"].set_index("name").loc["Gao"]
    return town_radius(int(gao["incidents"]))


def wait_until_still(page: Page) -> None:
    """Poll until the page stops scrolling (the same scroll offset over two frames)."""
    page.wait_for_function(
        """() => new Promise(done => {
            const main = document.querySelector('[data-testid="stMain"]');
            const offset = () => window.scrollY + (main ? main.scrollTop : 0);
            const first = offset();
            requestAnimationFrame(() => requestAnimationFrame(() => done(offset() === first)));
        })"""
    )


def empty_spot(frame: FrameLocator) -> tuple[float, float]:
    """A point of the map with no data layer under it (the Gulf of Guinea side, south-west)."""
    container = box(frame.locator(MAP))
    return container["x"] + container["width"] * 0.2, container["y"] + container["height"] * 0.8


def assert_popup_fits(frame: FrameLocator) -> None:
    popup = frame.locator(".leaflet-popup")
    expect(popup).to_be_visible()
    content = frame.locator(".leaflet-popup-content")
    assert 260 <= box(content)["width"] <= 341  # Leaflet's minWidth and maxWidth (+1 px)
    assert inside(box(popup), box(frame.locator(MAP)))  # the map panned to show it whole
    link = content.locator(".source a").first
    link.scroll_into_view_if_needed()
    expect(link).to_be_visible()
    assert inside(box(link), box(content))
    name = link.inner_text().strip()
    assert name
    assert "." not in name.split()[0]  # an outlet or a title, not a bare domain


def test_period_stamp_reads_the_single_month_and_updates_in_place(
    page: Page, streamlit_server: str
) -> None:
    frame = open_map(page, streamlit_server, "?start=2013-01&end=2013-01")
    expect(frame.locator(".mali-stamp")).to_have_text("Jan 2013")
    mark_frame(frame)
    end = page.get_by_role("slider", name="Period — end")
    end.focus()
    end.press("ArrowRight")
    expect(frame.locator(".mali-stamp")).to_have_text("Jan 2013 – Feb 2013")
    assert frame_kept(frame)  # the same map, updated in place
    assert page.console_errors == []


def test_popups_fit_the_map_with_reachable_named_sources(page: Page, streamlit_server: str) -> None:
    frame = open_map(page, streamlit_server, "?layers=towns", drawn=TOWNS)
    gao = place_point(frame, "Gao", zoom=8)
    # The biggest town, the longest popup; a smaller town placed at Gao is drawn on top.
    page.mouse.click(gao["x"], gao["y"] + gao_radius() - 4)
    assert_popup_fits(frame)
    assert frame.locator(".leaflet-popup-content b").first.inner_text() == "Gao"
    # Dates are written with the month in words.
    expect(frame.locator(".leaflet-popup-content")).to_contain_text(" 2012 to ")
    assert page.console_errors == []


def test_clicking_the_middle_of_gao_opens_the_base_and_its_ring_the_town(
    page: Page, streamlit_server: str
) -> None:
    frame = open_map(page, streamlit_server, "?layers=towns,bases", drawn=BASES)
    gao = place_point(frame, "Gao", zoom=8)
    page.mouse.click(gao["x"], gao["y"])
    expect(frame.locator(".leaflet-popup-content")).to_contain_text("Held by")
    in_map(frame, "map => map.closePopup()")
    gao = place_point(frame, "Gao")  # the map panned to show the base's popup
    # Beyond the base's circle, inside Gao's (a smaller town placed at Gao is drawn on top).
    page.mouse.click(gao["x"], gao["y"] + gao_radius() - 4)
    expect(frame.locator(".leaflet-popup-content b").first).to_have_text("Gao")
    expect(frame.locator(".leaflet-popup-content")).not_to_contain_text("Held by")


def test_incidents_at_one_place_are_counted_and_spread_on_click(
    page: Page, streamlit_server: str
) -> None:
    frame = open_map(page, streamlit_server, "?layers=incidents", drawn=".mali-cluster")
    place_point(frame, "Gao", zoom=7)
    for _attempt in range(6):
        frame.locator(MAP).scroll_into_view_if_needed()
        shown = visible_clusters(page, frame)
        assert shown
        assert min(count for count, _ in shown) >= 2
        before = frame.locator(INCIDENT_POINTS).count()
        count, (x, y) = max(shown)
        zoom = in_map(frame, "map => map.getZoom()")
        page.mouse.click(x, y)
        wait_in_map(
            page,
            """(map, [zoom, before]) => map.getZoom() !== zoom
                || map.getContainer().querySelectorAll('path[stroke="#ffffff"]').length > before""",
            [zoom, before],
        )
        if frame.locator(INCIDENT_POINTS).count() >= before + count:
            break  # spread: every incident of the cluster is now its own point
        wait_in_map(page, "map => !map._animatingZoom && !map._panAnim?._inProgress")
    else:
        pytest.fail("no cluster spread its incidents")
    points = frame.locator(INCIDENT_POINTS)
    centres = [box(points.nth(i)) for i in range(points.count())]
    spread = [(b["x"] + b["width"] / 2, b["y"] + b["height"] / 2) for b in centres]
    nearest = min(
        (p for p in spread if abs(p[0] - x) + abs(p[1] - y) > 10),
        key=lambda p: abs(p[0] - x) + abs(p[1] - y),
    )
    page.mouse.click(*nearest)  # one of the spread incidents
    expect(frame.locator(".leaflet-popup-content")).to_contain_text("Fatalities")
    assert page.console_errors == []


def test_incidents_switched_on_later_cluster_and_the_layers_above_still_draw(
    page: Page, streamlit_server: str
) -> None:
    frame = open_map(page, streamlit_server, "?layers=regions,key_events")
    mark_frame(frame)
    page.get_by_role("switch", name="Incidents (by event type)").click(force=True)
    expect(frame.locator(".mali-cluster").first).to_be_visible()
    expect(frame.locator('path.leaflet-interactive[stroke="#333333"]').first).to_be_attached()
    expect(frame.locator(".mali-legend")).to_contain_text("Battles and clashes")
    assert frame_kept(frame)
    assert page.console_errors == []


def test_context_switch_keeps_zoom_and_pan(page: Page, streamlit_server: str) -> None:
    frame = open_map(page, streamlit_server)
    start = in_map(frame, "map => map.getZoom()")
    frame.locator(".leaflet-control-zoom-in").click()
    wait_in_map(page, "(map, z) => map.getZoom() > z && !map._animatingZoom", start)
    in_map(frame, "map => map.panBy([60, 40], {animate: false})")
    before = in_map(frame, "map => [map.getZoom(), map.getCenter().lat, map.getCenter().lng]")
    mark_frame(frame)
    page.get_by_role("switch", name=CONTEXT_SWITCH).click(force=True)
    expect(frame.locator(MAP)).to_have_attribute("data-context", "off")
    after = in_map(frame, "map => [map.getZoom(), map.getCenter().lat, map.getCenter().lng]")
    assert after == pytest.approx(before)
    assert frame_kept(frame)
    page.get_by_role("switch", name=CONTEXT_SWITCH).click(force=True)
    expect(frame.locator(MAP)).to_have_attribute("data-context", "on")
    assert in_map(frame, "map => map.getZoom()") == before[0]


def test_the_wheel_zooms_only_after_a_click_or_with_ctrl(page: Page, streamlit_server: str) -> None:
    frame = open_map(page, streamlit_server)
    hint = frame.locator(".mali-hint")
    expect(hint).to_contain_text("Click the map")
    container = box(frame.locator(MAP))
    middle = (container["x"] + container["width"] / 2, container["y"] + container["height"] / 2)
    start = in_map(frame, "map => map.getZoom()")
    page.mouse.move(*middle)
    in_map(
        frame,
        "map => { window.__wheels = 0; map.getContainer().addEventListener("
        "'wheel', () => { window.__wheels += 1; }); }",
    )
    page.mouse.wheel(0, -400)
    page.wait_for_function(
        """() => {
            const f = document.querySelector("iframe[title='streamlit_folium.st_folium']");
            return f.contentWindow.__wheels > 0;
        }"""
    )
    assert in_map(frame, "map => map.getZoom()") == start  # the wheel reached the map: no zoom
    wait_until_still(page)  # the wheel scrolled the page instead
    page.mouse.move(*empty_spot(frame))
    page.keyboard.down("Control")
    page.mouse.wheel(0, -100)
    page.keyboard.up("Control")
    wait_in_map(page, "(map, z) => map.getZoom() > z && !map._animatingZoom", start)
    zoomed = in_map(frame, "map => map.getZoom()")
    spot = empty_spot(frame)
    page.mouse.click(*spot)
    expect(hint).to_be_hidden()
    page.mouse.move(*empty_spot(frame))
    page.mouse.wheel(0, -400)
    wait_in_map(page, "(map, z) => map.getZoom() > z", zoomed)


def test_fit_mali_and_the_legend_on_the_map(page: Page, streamlit_server: str) -> None:
    frame = open_map(page, streamlit_server, "?layers=regions,towns,bases,key_events,displacement")
    legend = frame.locator(".mali-legend")
    expect(legend).to_contain_text("Regions: incidents per 10,000 km²")
    for entry in ("Towns", "Bases", "Key events", "Displacement flows", "Flow origin"):
        expect(legend).to_contain_text(entry)
    legend.locator("summary").click()
    expect(legend.locator(".mali-legend-body")).to_be_hidden()
    in_map(frame, "map => map.setView([5, 20], 8, {animate: false})")
    frame.get_by_role("button", name="Fit Mali").click()
    wait_in_map(
        page,
        "map => map.getBounds().pad(0.01).contains(L.latLngBounds([[10.2, -12.2], [25, 4.2]]))",
    )


@pytest.mark.parametrize(("width", "height"), [(1500, 1000), (400, 850)])
def test_screenshots_of_the_map(
    page: Page, streamlit_server: str, artifacts_dir: Path, width: int, height: int
) -> None:
    page.set_viewport_size({"width": width, "height": height})
    frame = open_map(page, streamlit_server, "?start=2013-01&end=2013-04")
    expect(frame.locator(".mali-stamp")).to_have_text("Jan 2013 – Apr 2013")
    frame.locator(MAP).scroll_into_view_if_needed()
    page.screenshot(path=artifacts_dir / f"map_{width}x{height}.png")
    assert page.aborted_urls == []

"""Flying the map to one incident (or key event) and opening its popup, in place.

A group with no features whose script moves the map and opens a popup there: sent with the
period's layers, so st_folium evaluates it without remounting the map. The script acts once
per focus (an id), so later reruns with the same focus leave the user's pan and zoom alone;
:data:`NO_FOCUS` resets it.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

import folium
from branca.element import Element
from jinja2 import Template

from layers import html
from layers.rendering import RenderedText

NAME = "Focus"
#: The zoom the map flies to (a town and its surroundings).
FOCUS_ZOOM = 9


@dataclass(frozen=True)
class Focus:
    """Where to fly and what the popup says.

    Attributes
    ----------
    key
        Identifies the focus (an incident's id): the script acts once per key.
    lat, lon
        The place.
    popup
        The popup's HTML (safe).
    """

    key: str
    lat: float
    lon: float
    popup: str


#: No place to fly to: the script forgets the last focus, so clicking it again flies again.
NO_FOCUS = Focus("", 0.0, 0.0, "")


def incident_focus(row: Any) -> Focus:
    """The focus of a feed row (:func:`mali_geo.feed.incident_feed`): its facts in the popup."""
    rows = [
        ("Date", html.text(row.date)),
        ("Type", html.text(row.type)),
        ("Fatalities", html.text(row.toll)),
        ("What", html.text(row.summary)),
    ]
    links = [html.link(row.source_url)] if html.safe_url(row.source_url) else []
    popup = html.facts_popup(row.place, rows, links)
    return Focus(str(row.incident_id), float(row.lat), float(row.lon), popup)


def key_event_focus(row: Any) -> Focus:
    """The focus of a key event (a row of the key events, with ``lat`` and ``lon``)."""
    rows = [
        ("Date", html.day(row.date, row.date_precision)),
        ("What", html.text(row.event)),
    ]
    links = [html.link(row.source_url)] if html.safe_url(row.source_url) else []
    popup = html.facts_popup(row.place, rows, links)
    key = f"key event {html.day(row.date)} {row.place}"
    return Focus(key, float(row.lat), float(row.lon), popup)


def focus_group(focus: Focus) -> folium.FeatureGroup:
    """A group with no features whose script flies the map to ``focus`` and opens its popup."""
    group = folium.FeatureGroup(name=NAME, show=True, control=False)
    group.add_child(_FocusScript(focus))
    return group


class _FocusScript(Element):
    _template = Template(
        """{% macro script(this, kwargs) %}
(function (m, f) {
    if (!f.key || m._maliFocus === f.key) { m._maliFocus = f.key; return; }
    m._maliFocus = f.key;
    m.setView([f.lat, f.lon], Math.max(m.getZoom(), {{ this.zoom }}), {animate: false});
    L.popup({maxWidth: 340, maxHeight: 300, className: "mali-focus"})
        .setLatLng([f.lat, f.lon]).setContent(f.popup).openOn(m);
    m.getContainer().dataset.focus = f.key;
})(map_div, {{ this.payload }});
{% endmacro %}"""
    )

    def __init__(self, focus: Focus) -> None:
        super().__init__()
        self._name = "FocusScript"
        self.zoom = FOCUS_ZOOM
        # As JSON inside a script: "</" must not close the script element.
        self.payload = json.dumps(asdict(focus)).replace("</", "<\\/")

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]
        """Put the script into the page's script."""
        figure: Any = self.get_root()
        script = self._template.module.__dict__["script"](self, kwargs)
        figure.script.add_child(RenderedText(script), name=self.get_name())

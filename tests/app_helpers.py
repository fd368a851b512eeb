"""Helpers for AppTest: read the map's layers out of the st_folium component's arguments."""

from __future__ import annotations

import json
import re
from collections import defaultdict

from streamlit.testing.v1 import AppTest

from mali_geo.config import PROJECT_DIR

TIMEOUT = 60
APP = str(PROJECT_DIR / "app.py")


def run_app(**query: str) -> AppTest:
    """The app run once with these URL query parameters."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


ADD_CALL = re.compile(r"geo_json_\w+_add\(")


def map_args(at: AppTest) -> dict:
    """The arguments st_folium sends to the browser (script, feature group, links)."""
    maps = at.get("component_instance")
    assert len(maps) == 1, f"expected one map, found {len(maps)}"
    return json.loads(maps[0].proto.json_args)


def map_features(at: AppTest) -> dict[str, list[dict]]:
    """Features of the period's layers, by layer name (each feature's ``layer`` property)."""
    script = map_args(at)["feature_group"]
    decoder = json.JSONDecoder()
    layers: dict[str, list[dict]] = defaultdict(list)
    for match in ADD_CALL.finditer(script):
        data, _ = decoder.raw_decode(script[match.end() :].lstrip())
        for feature in data["features"]:
            layers[feature["properties"]["layer"]].append(feature)
    return dict(layers)


def metrics(at: AppTest) -> dict[str, str]:
    """Headline metrics by label."""
    return {m.label: m.value for m in at.metric}


def shown(text: str) -> str:
    """Text as a reader sees it once Markdown has removed its backslash escapes."""
    return re.sub(r"\\(.)", r"\1", text).replace("\u2060", "")  # the word joiner is invisible


def warnings(at: AppTest) -> list[str]:
    """The warnings on the page, as shown."""
    return [shown(w.value) for w in at.warning]

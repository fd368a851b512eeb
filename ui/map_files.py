"""The map as files: "Download map (PNG)" and "Download map (HTML)", made on click."""

from __future__ import annotations

from collections.abc import Mapping

import geopandas as gpd
import streamlit as st

from layers import html
from layers.map_files import Context, view_html, view_png
from mali_geo.displacement_picture import DisplacementPicture
from mali_geo.view import CONTEXT, ViewState
from ui.data import context_data


def map_downloads(
    layers: Mapping[str, gpd.GeoDataFrame],
    view: ViewState,
    *,
    displacement: DisplacementPicture | None = None,
    arrows: bool = False,
) -> None:
    """Two buttons: the view's map as a PNG picture and as an offline HTML page.

    The files are drawn when a button is clicked (deferred data), from the layers on the map.
    """
    label = html.period(view.start, view.end)
    context: Context | None = context_data() if CONTEXT in view.layers else None
    name = f"mali_map_{view.period.label}"
    left, right = st.columns(2)
    left.download_button(
        "Download map (PNG)",
        lambda: view_png(
            layers,
            view.layers,
            period_label=label,
            context=context,
            displacement=displacement,
            arrows=arrows,
        ),
        file_name=f"{name}.png",
        mime="image/png",
        on_click="ignore",
        key="download_map_png",
    )
    right.download_button(
        "Download map (HTML)",
        lambda: view_html(layers, view.layers, period_label=label, context=context),
        file_name=f"{name}.html",
        mime="text/html",
        on_click="ignore",
        key="download_map_html",
    )

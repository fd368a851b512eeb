"""Pictures of the map to take away: a static PNG and a self-contained HTML page.

:func:`map_png` draws the current view's layers server-side with matplotlib and geopandas
(no browser, no tiles, no network), with a title, the period, a legend, a scale bar in
kilometres measured on the ellipsoid, and the attribution. :func:`map_figure` returns the
same picture as a matplotlib Figure, before it is saved.

:func:`map_html` saves a folium map as one HTML file that works offline: Leaflet, jQuery and
the other scripts and stylesheets are inlined from the XStatic pip packages, and Leaflet's
images become data URIs.
"""

from __future__ import annotations

import base64
import copy
import importlib
import io
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Required, TypedDict, Unpack

import folium
import geopandas as gpd
import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from pyproj import Geod, Transformer

from layers import context, key_events, towns
from layers.assets import ICON_PATH_SCRIPT, VENDOR_FILES, make_offline
from layers.bases import holder_colour
from layers.displacement import (
    KIND_COLOURS,
    KIND_LABELS,
    NOT_LOCATED_COLOUR,
    OTHER_COLOUR,
    circle_radius,
    flow_width,
    picture_of_layer,
)
from layers.incidents import event_colour
from layers.regions import region_colour
from mali_geo.config import ATTRIBUTION, EQUAL_AREA_CRS, WGS84
from mali_geo.displacement_picture import NOT_LOCATED, DisplacementPicture

#: The CRS the picture is drawn in: Africa Albers equal-area (shapes keep their size).
PICTURE_CRS = EQUAL_AREA_CRS
DEFAULT_WIDTH_PX = 1200
DEFAULT_HEIGHT_PX = 900
DEFAULT_DPI = 150
#: Lengths a scale bar may have, in km; the one nearest a fifth of the map's width is used.
SCALE_BAR_KM: tuple[int, ...] = (10, 20, 25, 50, 100, 200, 250, 500, 1000)
#: A view wider than the data by this share on each side.
MARGIN = 0.05
BACKGROUND = "#dfe8ef"
LAND = "#f4f1ea"
_GEOD = Geod(ellps="WGS84")
#: Points per CSS pixel: Leaflet sizes are in pixels, matplotlib's in points.
PT_PER_PX = 0.75
#: Where the map sits in the figure (left, bottom, width, height, as shares of the figure).
_AXES_BOX = (0.01, 0.1, 0.98, 0.8)
#: Marks the inlined assets' URLs while the page is rendered (never left in the output).
_INLINE_BASE = "inline-asset:"


@dataclass(frozen=True)
class PictureLayer:
    """One layer of a static map and how it is drawn.

    Attributes
    ----------
    data
        Features in any CRS (drawn in :data:`PICTURE_CRS`); rows without a geometry are
        left out.
    colour
        Fill (polygons, points) or line colour; ignored where ``column`` is set.
    edge
        Outline colour of polygons and points.
    column
        A numeric column shading polygons (choropleth) with ``cmap``.
    colour_column
        A column holding each feature's colour (overrides ``colour`` and ``column``).
    cmap
        A matplotlib colormap name for ``column``.
    size
        Points: a column (or a number) giving each marker's area in points²; lines: their width.
    alpha
        Opacity.
    dashed
        Dashed outlines and lines.
    zorder
        Drawing order (higher on top).
    """

    data: gpd.GeoDataFrame
    colour: str = "#444444"
    edge: str | None = None
    column: str | None = None
    colour_column: str | None = None
    cmap: str = "OrRd"
    size: str | float = 20.0
    alpha: float = 0.8
    dashed: bool = False
    zorder: int = 2


@dataclass(frozen=True)
class LegendEntry:
    """One legend line: a label and its swatch (``"patch"``, ``"line"`` or ``"point"``)."""

    label: str
    colour: str
    kind: str = "patch"
    dashed: bool = False


class MapOptions(TypedDict, total=False):
    """The keyword arguments of :func:`map_figure`, which :func:`map_png` passes on."""

    title: Required[str]
    period_label: Required[str]
    legend_entries: Sequence[LegendEntry]
    bounds: tuple[float, float, float, float] | None
    background: Sequence[PictureLayer]
    attribution: str
    width_px: int
    height_px: int
    dpi: int


def map_figure(
    layers: Sequence[PictureLayer],
    *,
    title: str,
    period_label: str,
    legend_entries: Sequence[LegendEntry] = (),
    bounds: tuple[float, float, float, float] | None = None,
    background: Sequence[PictureLayer] = (),
    attribution: str = ATTRIBUTION,
    width_px: int = DEFAULT_WIDTH_PX,
    height_px: int = DEFAULT_HEIGHT_PX,
    dpi: int = DEFAULT_DPI,
) -> Figure:
    """Draw a static map as a matplotlib Figure: the layers, title, period, legend, scale.

    Parameters
    ----------
    layers
        The data layers, drawn in order (see :class:`PictureLayer`).
    title
        Shown at the top, e.g. "Mali crisis map".
    period_label
        Shown under the title, e.g. "January–December 2013".
    legend_entries
        The legend's lines; none means no legend.
    bounds
        The view as ``(lon_min, lat_min, lon_max, lat_max)``; by default the layers' extent
        with a margin. The picture keeps its aspect ratio, so it may show a little more.
    background
        Context layers drawn first (countries, rivers, lakes), not used for the extent.
    attribution
        The sources, printed at the bottom.
    width_px, height_px, dpi
        The picture's size in pixels and its resolution.

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig = Figure(figsize=(width_px / dpi, height_px / dpi), dpi=dpi)
    FigureCanvasAgg(fig)
    ax = fig.add_axes(_AXES_BOX)
    ax.set_facecolor(BACKGROUND)
    ax.set_xticks([])
    ax.set_yticks([])
    for layer in [*background, *layers]:
        _draw(ax, layer)
    # The view has the axes' aspect ratio, so one map unit is as long across as up.
    aspect = (_AXES_BOX[2] * width_px) / (_AXES_BOX[3] * height_px)
    x0, y0, x1, y1 = _view(layers, background, bounds, aspect)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_xlabel("")
    ax.set_ylabel("")
    _scale_bar(ax, (x0, y0, x1, y1))
    fig.text(0.01, 0.955, title, fontsize=13, fontweight="bold", va="center")
    fig.text(0.01, 0.915, period_label, fontsize=10, va="center")
    if legend_entries:
        ax.legend(
            handles=[_handle(e) for e in legend_entries],
            loc="upper right",
            fontsize=7,
            framealpha=0.9,
        )
    fig.text(0.01, 0.05, attribution, fontsize=5.5, va="center", wrap=True, color="#333333")
    return fig


def map_png(layers: Sequence[PictureLayer], **options: Unpack[MapOptions]) -> bytes:
    """A PNG of the map: :func:`map_figure` with the same arguments, saved at its resolution.

    Returns
    -------
    bytes
        The PNG file.
    """
    fig = map_figure(layers, **options)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=fig.dpi)
    return buffer.getvalue()


def context_picture_layers(
    countries: gpd.GeoDataFrame, niger: gpd.GeoDataFrame, lakes: gpd.GeoDataFrame
) -> list[PictureLayer]:
    """The context layers (countries, Mali, the Niger river, lakes) as the map draws them."""
    mali = countries[countries["adm0_a3"] == "MLI"]
    return [
        PictureLayer(countries, colour=context.LAND, edge=context.BORDER, alpha=1, zorder=0),
        PictureLayer(mali, colour=context.MALI_FILL, edge=context.MALI_OUTLINE, alpha=1, zorder=0),
        PictureLayer(lakes, colour=context.WATER, edge=context.WATER, alpha=1, zorder=1),
        PictureLayer(niger, colour=context.WATER, size=1.5, alpha=1, zorder=1),
    ]


def picture_layers(
    built: Mapping[str, gpd.GeoDataFrame], *, town_scale: float | None = None
) -> tuple[list[PictureLayer], list[LegendEntry]]:
    """The catalogue's built layers (``mali_geo.catalogue.build_layers``) as the map draws them.

    Parameters
    ----------
    built
        Layer name -> GeoDataFrame, for the layers shown (any of ``regions``, ``displacement``,
        ``displaced``, ``towns``, ``incidents``, ``bases``, ``key_events``).
    town_scale
        The towns' circle scale (:func:`layers.towns.radius_scale`), to draw several pictures
        on one scale; by default the towns layer's own (:func:`layers.towns.towns_scale`).

    Returns
    -------
    tuple
        The picture layers, in the map's drawing order, and their legend entries.
    """
    out: list[PictureLayer] = []
    legend: list[LegendEntry] = []
    if "regions" in built:
        data = built["regions"].assign(_colour=built["regions"]["incidents"].map(region_colour))
        out.append(PictureLayer(data, colour_column="_colour", edge="#555555", zorder=1))
        legend.append(LegendEntry("Regions: shaded by incidents", region_colour(20)))
    if "displacement" in built:
        flows = built["displacement"]
        data = flows.assign(
            _colour=flows["kind"].map(KIND_COLOURS).fillna(OTHER_COLOUR),
            _width=flows["people"].map(lambda n: flow_width(int(n)) * PT_PER_PX),
        )
        out.append(PictureLayer(data, colour_column="_colour", size="_width", zorder=2))
        legend += [LegendEntry(KIND_LABELS[k], c, "line") for k, c in KIND_COLOURS.items()]
    if "displaced" in built:
        extra, extra_legend = displacement_picture_layers(picture_of_layer(built["displaced"]))
        out += extra
        legend += extra_legend
    if "towns" in built:
        rows = built["towns"]
        scale = towns.towns_scale(rows) if town_scale is None else town_scale
        data = rows.assign(
            _size=rows["incidents"].map(lambda n: _area(towns.town_radius(int(n), scale)))
        )
        out.append(PictureLayer(data, colour=towns.COLOUR, size="_size", alpha=0.45, zorder=3))
        legend.append(LegendEntry("Towns with incidents (area: count)", towns.COLOUR, "point"))
    if "incidents" in built:
        data = built["incidents"].assign(_colour=built["incidents"]["event_type"].map(event_colour))
        out.append(PictureLayer(data, colour_column="_colour", edge="#ffffff", size=14, zorder=4))
        legend.append(
            LegendEntry("Incidents (colour: event type)", event_colour("battle"), "point")
        )
    if "bases" in built:
        data = built["bases"].assign(_colour=built["bases"]["held_by"].map(holder_colour))
        out.append(PictureLayer(data, colour_column="_colour", edge="#000000", size=60, zorder=5))
        legend.append(LegendEntry("Bases (colour: who held them)", holder_colour(None), "point"))
    if "key_events" in built:
        out.append(
            PictureLayer(
                built["key_events"], colour=key_events.COLOUR, edge="#333333", size=40, zorder=6
            )
        )
        legend.append(LegendEntry("Key events", key_events.COLOUR, "point"))
    return out, legend


def displacement_picture_layers(
    picture: DisplacementPicture, *, arrows: bool = False
) -> tuple[list[PictureLayer], list[LegendEntry]]:
    """Refugee and IDP circles (and optionally the arrows) as :func:`circles_layer` draws them."""
    circles = picture.circles
    located = circles["placement"] != NOT_LOCATED
    data = circles.assign(
        _colour=circles["kind"].map(KIND_COLOURS).fillna(OTHER_COLOUR),
        _size=circles["people"].map(lambda n: _area(circle_radius(int(n)))),
    )
    out = [
        PictureLayer(data[located], colour_column="_colour", size="_size", alpha=0.4, zorder=3),
        PictureLayer(
            data[~located],
            colour=NOT_LOCATED_COLOUR,
            size="_size",
            alpha=0.3,
            dashed=True,
            zorder=3,
        ),
    ]
    legend = [LegendEntry(KIND_LABELS[k], c, "point") for k, c in KIND_COLOURS.items()]
    legend.append(LegendEntry("site not located", NOT_LOCATED_COLOUR, "point", dashed=True))
    if arrows:
        widths = picture.arrows.assign(
            _width=picture.arrows["people"].map(lambda n: flow_width(int(n)) * PT_PER_PX)
        )
        out.append(PictureLayer(widths, colour=KIND_COLOURS["refugees"], size="_width", zorder=4))
        legend.append(
            LegendEntry("Refugees crossing (direction only)", KIND_COLOURS["refugees"], "line")
        )
    return out, legend


def scale_bar_km(view_width_km: float) -> int:
    """The scale bar's length: the one of :data:`SCALE_BAR_KM` nearest a fifth of the view."""
    target = view_width_km / 5
    return min(SCALE_BAR_KM, key=lambda km: abs(math.log(km / target)))


def map_html(folium_map: folium.Map) -> bytes:
    """A self-contained HTML page of a folium map that works offline.

    The map is rendered from a copy (the given map is left as it is). Its scripts and
    stylesheets are inlined from the XStatic packages; Leaflet's images become data URIs.
    Tiles from an online tile layer, if the map has one, still need the internet.

    Raises
    ------
    layers.assets.OfflineAssetError
        If the map uses an element with no local copy of its assets.
    """
    page = copy.deepcopy(folium_map)
    if hasattr(page, "vendor_url"):
        page.vendor_url = _INLINE_BASE
    make_offline(page, base_url=_INLINE_BASE)
    text = page.get_root().render()
    return _inline_assets(text).encode("utf-8")


# --- helpers -------------------------------------------------------------------------------


def _area(radius_px: float) -> float:
    """A marker's area in points² for a Leaflet circle of this radius in pixels."""
    return float((2 * radius_px * PT_PER_PX) ** 2)


def _draw(ax: Axes, layer: PictureLayer) -> None:
    data = layer.data[layer.data.geometry.notna() & ~layer.data.geometry.is_empty]
    if data.empty:
        return
    data = data.to_crs(PICTURE_CRS)
    style = "--" if layer.dashed else "-"
    colour = data[layer.colour_column].tolist() if layer.colour_column else layer.colour
    kinds = set(data.geom_type)
    if kinds <= {"Point", "MultiPoint"}:
        sizes = data[layer.size] if isinstance(layer.size, str) else layer.size
        data.plot(
            ax=ax,
            color=colour,
            edgecolor=layer.edge or colour,
            markersize=sizes,
            alpha=layer.alpha,
            linestyle=style,
            zorder=layer.zorder,
        )
    elif kinds <= {"LineString", "MultiLineString"}:
        widths = data[layer.size] if isinstance(layer.size, str) else layer.size
        data.plot(
            ax=ax,
            color=colour,
            linewidth=widths,
            alpha=layer.alpha,
            linestyle=style,
            zorder=layer.zorder,
        )
    elif layer.column is not None and layer.colour_column is None:
        data.plot(
            ax=ax,
            column=layer.column,
            cmap=layer.cmap,
            edgecolor=layer.edge or "#555555",
            linewidth=0.5,
            alpha=layer.alpha,
            zorder=layer.zorder,
        )
    else:
        data.plot(
            ax=ax,
            color=colour,
            edgecolor=layer.edge or "#888888",
            linewidth=0.5,
            alpha=layer.alpha,
            linestyle=style,
            zorder=layer.zorder,
        )


def _view(
    layers: Sequence[PictureLayer],
    background: Sequence[PictureLayer],
    bounds: tuple[float, float, float, float] | None,
    aspect: float,
) -> tuple[float, float, float, float]:
    """The view in :data:`PICTURE_CRS`, widened to the picture's aspect ratio."""
    if bounds is not None:
        lon0, lat0, lon1, lat1 = bounds
        lons = np.linspace(lon0, lon1, 21)
        lats = np.linspace(lat0, lat1, 21)
        grid_x, grid_y = np.meshgrid(lons, lats)
        to_picture = Transformer.from_crs(WGS84, PICTURE_CRS, always_xy=True)
        xs, ys = to_picture.transform(grid_x.ravel(), grid_y.ravel())
        x0, y0, x1, y1 = float(xs.min()), float(ys.min()), float(xs.max()), float(ys.max())
    else:
        frames = [layer.data for layer in layers if not layer.data.empty]
        frames = frames or [layer.data for layer in background if not layer.data.empty]
        if not frames:
            x0, y0, x1, y1 = -1e6, -1e6, 1e6, 1e6
        else:
            boxes = np.array([f.to_crs(PICTURE_CRS).total_bounds for f in frames])
            x0, y0 = boxes[:, 0].min(), boxes[:, 1].min()
            x1, y1 = boxes[:, 2].max(), boxes[:, 3].max()
        pad = max(x1 - x0, y1 - y0, 50_000) * MARGIN
        x0, y0, x1, y1 = x0 - pad, y0 - pad, x1 + pad, y1 + pad
    width, height = x1 - x0, y1 - y0
    if width / height < aspect:
        extra = (height * aspect - width) / 2
        x0, x1 = x0 - extra, x1 + extra
    else:
        extra = (width / aspect - height) / 2
        y0, y1 = y0 - extra, y1 + extra
    return float(x0), float(y0), float(x1), float(y1)


def _scale_bar(ax: Axes, view: tuple[float, float, float, float]) -> None:
    """A bar of a round number of km at the lower left, its length measured on the ellipsoid.

    The picture's CRS does not keep distances, so the bar's length in map units is set from
    the geodesic distance between its two ends.
    """
    x0, y0, x1, y1 = view
    to_lonlat = Transformer.from_crs(PICTURE_CRS, WGS84, always_xy=True)
    start_x, y = x0 + (x1 - x0) * 0.04, y0 + (y1 - y0) * 0.05

    def km_between(x_a: float, x_b: float) -> float:
        (lon_a, lon_b), (lat_a, lat_b) = to_lonlat.transform([x_a, x_b], [y, y])
        return float(_GEOD.inv(lon_a, lat_a, lon_b, lat_b)[2]) / 1000

    view_km = km_between(x0, x1)
    km = scale_bar_km(view_km)
    units_per_km = (x1 - x0) / view_km
    end_x = start_x + km * units_per_km
    for _ in range(3):  # refine: the scale varies across the view
        end_x = start_x + (end_x - start_x) * km / km_between(start_x, end_x)
    height = (y1 - y0) * 0.008
    ax.add_patch(Rectangle((start_x, y), end_x - start_x, height, color="#222222", zorder=10))
    ax.text((start_x + end_x) / 2, y + height * 2, f"{km:,} km", ha="center", fontsize=7, zorder=10)


def _handle(entry: LegendEntry) -> Patch | Line2D:
    style = "--" if entry.dashed else "-"
    if entry.kind == "line":
        return Line2D([], [], color=entry.colour, linewidth=2, linestyle=style, label=entry.label)
    if entry.kind == "point":
        return Line2D(
            [],
            [],
            marker="o",
            color="none",
            markerfacecolor=entry.colour,
            markeredgecolor=entry.colour,
            markersize=7,
            label=entry.label,
        )
    return Patch(facecolor=entry.colour, edgecolor="#555555", linestyle=style, label=entry.label)


def _inline_assets(text: str) -> str:
    """Replace the links to the marked local assets with their content."""
    files = {target: (package, name) for package, name, target in VENDOR_FILES}

    def content(path: str) -> str:
        package, name = files[path]
        return (_xstatic_dir(package) / name).read_text(encoding="utf-8")

    def script(match: re.Match[str]) -> str:
        if match.group(1) == ICON_PATH_SCRIPT:  # finds images from its own URL: none inline
            return ""
        body = content(match.group(1)).replace("</script", "<\\/script")
        return f"<script>{body}</script>"

    def style(match: re.Match[str]) -> str:
        path = match.group(1)
        css = _inline_css_images(content(path), path)
        return f"<style>{css}</style>"

    base = re.escape(_INLINE_BASE)
    text = re.sub(rf'<script src="{base}/([^"]+)"></script>', script, text)
    return re.sub(rf'<link rel="stylesheet" href="{base}/([^"]+)"\s*/?>', style, text)


def _inline_css_images(css: str, css_path: str) -> str:
    """Turn ``url(images/x.png)`` in a stylesheet into data URIs of the vendored images."""
    folder = str(Path(css_path).parent)
    images = {
        target: (package, name)
        for package, name, target in VENDOR_FILES
        if target.endswith(".png") and target.startswith(folder)
    }

    def data_uri(match: re.Match[str]) -> str:
        target = f"{folder}/{match.group(1)}"
        if target not in images:
            return match.group(0)
        package, name = images[target]
        data = base64.b64encode((_xstatic_dir(package) / name).read_bytes()).decode("ascii")
        return f"url(data:image/png;base64,{data})"

    return re.sub(r"url\(([^)#:]+\.png)\)", data_uri, css)


def _xstatic_dir(package: str) -> Path:
    """The data folder of ``xstatic.pkg.<package>``."""
    module = importlib.import_module(f"xstatic.pkg.{package}")
    return Path(module.BASE_DIR)

"""Map pictures: a static PNG of the view, and a self-contained offline HTML page."""

from __future__ import annotations

import html
import io
import re

import folium
import geopandas as gpd
import matplotlib.image
import pytest
from matplotlib.figure import Figure

from layers.assets import offline_map
from layers.picture import (
    LegendEntry,
    PictureLayer,
    context_picture_layers,
    displacement_picture_layers,
    map_figure,
    map_html,
    map_png,
    picture_layers,
    scale_bar_km,
)
from layers.towns import radius_scale, towns_layer
from mali_geo.catalogue import build_layers
from mali_geo.config import ATTRIBUTION
from mali_geo.dataset import Dataset, load_dataset
from mali_geo.displacement_picture import displacement_picture
from mali_geo.period import make_period

PERIOD = make_period("2013-01", "2013-12")


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return load_dataset()


@pytest.fixture(scope="module")
def built(dataset: Dataset) -> dict[str, gpd.GeoDataFrame]:
    return build_layers(dataset, PERIOD, layers=["regions", "towns", "displacement"])


def _layers(built: dict[str, gpd.GeoDataFrame]) -> list[PictureLayer]:
    return [
        PictureLayer(built["regions"], column="incidents", zorder=1),
        PictureLayer(built["towns"], colour="#7a0177", size=25),
    ]


LEGEND = [
    LegendEntry("Towns with incidents", "#7a0177", "point"),
    LegendEntry("Regions: incidents", "#e34a33"),
    LegendEntry("Refugee arrows", "#1b7837", "line", dashed=True),
]


def _texts(fig: Figure) -> list[str]:
    texts = [t.get_text() for t in fig.texts]
    for ax in fig.axes:
        texts += [t.get_text() for t in ax.texts]
        legend = ax.get_legend()
        if legend is not None:
            texts += [t.get_text() for t in legend.get_texts()]
    return texts


def test_figure_shows_title_period_legend_scale_and_attribution(
    built: dict[str, gpd.GeoDataFrame],
) -> None:
    fig = map_figure(
        _layers(built),
        title="Mali crisis map",
        period_label="January–December 2013",
        legend_entries=LEGEND,
    )
    texts = _texts(fig)
    assert "Mali crisis map" in texts
    assert "January–December 2013" in texts
    assert {"Towns with incidents", "Regions: incidents", "Refugee arrows"} <= set(texts)
    assert ATTRIBUTION in texts
    assert any(re.fullmatch(r"[0-9,]+ km", t) for t in texts)


def test_png_opens_with_the_expected_size(built: dict[str, gpd.GeoDataFrame]) -> None:
    png = map_png(
        _layers(built),
        title="Mali crisis map",
        period_label="2013",
        legend_entries=LEGEND,
        width_px=800,
        height_px=600,
        dpi=100,
    )
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    image = matplotlib.image.imread(io.BytesIO(png), format="png")
    assert image.shape[:2] == (600, 800)


def test_view_bounds_are_the_axes_limits_in_the_projected_crs(
    built: dict[str, gpd.GeoDataFrame],
) -> None:
    fig = map_figure(_layers(built), title="t", period_label="p", bounds=(-5.0, 14.0, 1.0, 18.0))
    ax = fig.axes[0]
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    box = ax.get_position()
    width_px = box.width * fig.get_figwidth()
    height_px = box.height * fig.get_figheight()
    # Equal scale across and up: the view has the axes' aspect ratio.
    assert (x1 - x0) / (y1 - y0) == pytest.approx(width_px / height_px, rel=1e-6)
    # Six degrees of longitude near 16 N are about 640 km: the view is at least that wide.
    assert 600_000 < x1 - x0 < 1_500_000


def test_scale_bar_is_a_round_length_near_a_fifth_of_the_view() -> None:
    assert scale_bar_km(2_300) == 500
    assert scale_bar_km(640) == 100
    assert scale_bar_km(90) == 20


def test_scale_bar_length_is_measured_on_the_ground(built: dict[str, gpd.GeoDataFrame]) -> None:
    from pyproj import Geod, Transformer

    from layers.picture import PICTURE_CRS

    fig = map_figure(_layers(built), title="t", period_label="p", bounds=(-12.0, 10.0, 4.0, 25.0))
    ax = fig.axes[0]
    bar = ax.patches[-1]
    label = next(t.get_text() for t in ax.texts if t.get_text().endswith(" km"))
    km = int(label.removesuffix(" km").replace(",", ""))
    x, y = bar.get_x(), bar.get_y()
    to_lonlat = Transformer.from_crs(PICTURE_CRS, "EPSG:4326", always_xy=True)
    (lon0, lon1), (lat0, lat1) = to_lonlat.transform([x, x + bar.get_width()], [y, y])
    metres = Geod(ellps="WGS84").inv(lon0, lat0, lon1, lat1)[2]
    assert metres / 1000 == pytest.approx(km, rel=0.005)


def test_empty_layers_still_make_a_picture(dataset: Dataset) -> None:
    empty = dataset.regions.iloc[0:0]
    png = map_png(
        [PictureLayer(empty)],
        title="Nothing",
        period_label="2012-01",
        background=[PictureLayer(dataset.countries, colour="#f4f1ea", zorder=0)],
        width_px=400,
        height_px=300,
        dpi=100,
    )
    assert matplotlib.image.imread(io.BytesIO(png), format="png").shape[:2] == (300, 400)


def _asset_links(page: str) -> list[str]:
    return re.findall(r'<(?:script|link)\b[^>]*\b(?:src|href)="([^"]+)"', page)


@pytest.mark.parametrize("make_map", [offline_map, folium.Map])
def test_html_is_self_contained_and_holds_the_features(
    built: dict[str, gpd.GeoDataFrame], make_map: type[folium.Map]
) -> None:
    page_map = make_map(location=[17, -3], zoom_start=5, tiles=None)
    towns_layer(built["towns"]).add_to(page_map)
    folium.LayerControl().add_to(page_map)
    before = list(page_map.default_js)
    page = map_html(page_map).decode("utf-8")
    assert [u for u in _asset_links(page) if re.match(r"(https?:)?//", u)] == []
    assert _asset_links(page) == []  # everything is inline
    assert "L.map(" in page
    assert "Leaflet" in page  # leaflet.js itself
    assert "data:image/png;base64," in page  # the layer control's icon
    for name in built["towns"]["name"]:
        assert html.escape(name) in page  # in its popup, in the GeoJSON
    assert len(re.findall(r'"type": ?"Feature"[,}]', page)) == len(built["towns"])
    assert page_map.default_js == before  # the app's map is left as it was


def test_catalogue_layers_draw_with_their_legend(dataset: Dataset) -> None:
    built = build_layers(dataset, PERIOD)
    layers, legend = picture_layers(built)
    assert len(layers) == len(built) + 1  # the displaced circles: located and not located
    labels = [e.label for e in legend]
    assert "Towns with incidents (area: count)" in labels
    assert "Key events" in labels
    picture = displacement_picture(
        dataset.displacement, dataset.places, dataset.regions, dataset.countries, PERIOD
    )
    extra, extra_legend = displacement_picture_layers(picture, arrows=True)
    assert sum(len(layer.data) for layer in extra[:2]) == len(picture.circles)
    assert "site not located" in [e.label for e in extra_legend]
    fig = map_figure(
        [*layers, *extra],
        title="Mali crisis map",
        period_label="2013",
        legend_entries=[*legend, *extra_legend],
        background=context_picture_layers(dataset.countries, dataset.niger, dataset.lakes),
    )
    texts = _texts(fig)
    assert "Refugees crossing (direction only)" in texts
    drawn = sum(len(ax.collections) for ax in fig.axes)
    assert drawn >= len(layers) + len(extra)


def test_two_pictures_on_one_town_scale_draw_equal_counts_alike(
    built: dict[str, gpd.GeoDataFrame],
) -> None:
    """Compare mode draws A and B on one scale, even when one side's busiest town is huge."""
    small = built["towns"]
    big = small.copy()
    big.loc[big.index[0], "incidents"] = int(big["incidents"].iloc[0]) * 5_000
    scale = radius_scale(int(big["incidents"].max()))

    def sizes(towns: gpd.GeoDataFrame, town_scale: float | None) -> list[float]:
        layers, _ = picture_layers({"towns": towns}, town_scale=town_scale)
        return layers[0].data["_size"].iloc[1:].tolist()  # every town but the changed one

    assert sizes(small, scale) == sizes(big, scale)
    assert sizes(small, None) != sizes(big, None)  # each on its own scale, they would differ

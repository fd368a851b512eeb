"""Displacement as people see it: circles where people were counted, totals that add up.

Expected totals are read from the CSV with pandas, never through the package.
"""

from __future__ import annotations

from pathlib import Path

import folium
import geopandas as gpd
import pandas as pd
import pytest

from layers.displacement import (
    ARROWS_NAME,
    CIRCLES_NAME,
    ORIGIN_LABEL,
    arrows_layer,
    circle_radius,
    circles_layer,
    circles_legend_html,
    displacement_layer,
)
from mali_geo.config import WGS84
from mali_geo.dataset import Dataset, flows_for, load_dataset
from mali_geo.displacement_picture import (
    CIRCLE_COLUMNS,
    NOT_LOCATED,
    DisplacementPicture,
    circle_share_drawn,
    displacement_picture,
)
from mali_geo.period import make_period, month_range

GEODATA = Path(__file__).resolve().parent.parent / "geodata"
YEAR_ENDS = ("2012-12", "2013-12", "2014-12")
HOSTS = ("MRT", "NER", "BFA")


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return load_dataset()


@pytest.fixture(scope="module")
def raw() -> pd.DataFrame:
    return pd.read_csv(GEODATA / "displacement_mali_2012_2014.csv", parse_dates=["ref_date"])


def _picture(dataset: Dataset, end: str) -> DisplacementPicture:
    return displacement_picture(
        dataset.displacement,
        dataset.places,
        dataset.regions,
        dataset.countries,
        make_period("2012-01", end),
    )


def _unhcr_total(raw: pd.DataFrame, host: str, end: str) -> int:
    rows = raw[
        (raw["location_level"] == "country_total")
        & (raw["population_type"] == "refugees")
        & (raw["host_iso3"] == host)
        & (raw["ref_date"] == pd.Timestamp(f"{end}-31"))
        & raw["source"].str.startswith("UNHCR")
    ]
    return int(rows["value"].sum())


@pytest.mark.parametrize("end", YEAR_ENDS)
def test_all_refugees_are_drawn_for_every_host_and_year_end(
    dataset: Dataset, raw: pd.DataFrame, end: str
) -> None:
    picture = _picture(dataset, end)
    share = circle_share_drawn(picture)
    assert (share == 1.0).all()
    circles = picture.circles[picture.circles["kind"] == "refugees"]
    for host in HOSTS:
        expected = _unhcr_total(raw, host, end)
        assert expected > 0
        assert circles.loc[circles["host_iso3"] == host, "people"].sum() == expected
        total = picture.totals.set_index(["kind", "host_iso3"]).loc[("refugees", host)]
        assert total["people_total"] == expected
        assert total["people_located"] + total["people_not_located"] == expected
        assert total["share_drawn"] == 1.0


def test_idps_by_region_add_up_to_the_national_figure_of_the_same_source(
    dataset: Dataset,
) -> None:
    picture = _picture(dataset, "2014-03")
    idps = picture.circles[picture.circles["kind"] == "idps"]
    assert set(idps["placement"]) == {"region", NOT_LOCATED}
    assert idps["people"].sum() == 199_575  # IOM DTM, 28 February 2014
    assert idps.loc[idps["name"] == "Bamako region", "people"].item() == 46_143
    assert (idps["as_of"] == pd.Timestamp("2014-02-28")).all()


def test_no_idp_circles_before_the_first_regional_breakdown(dataset: Dataset) -> None:
    picture = _picture(dataset, "2013-12")
    assert "idps" not in set(picture.circles["kind"])
    assert "idps" not in set(picture.totals["kind"])


def test_urban_refugees_are_drawn_at_their_city(dataset: Dataset) -> None:
    circles = _picture(dataset, "2012-12").circles.set_index("name")
    for city in ("Ouagadougou", "Bobo-Dioulasso", "Ouahigouya", "Niamey"):
        assert circles.loc[city, "placement"] == "city"
    places = dataset.places.set_index("name")
    ouaga = circles.loc["Ouagadougou", "geometry"]
    assert (ouaga.y, ouaga.x) == (
        places.loc["Ouagadougou", "lat"],
        places.loc["Ouagadougou", "lon"],
    )
    assert circles.loc["Mbera", "placement"] == "site"
    assert circles.loc["Mbera", "people"] == 54_029


def test_unlocated_sites_are_one_marked_part_of_their_host(dataset: Dataset) -> None:
    circles = _picture(dataset, "2014-12").circles
    rest = circles[circles["placement"] == NOT_LOCATED]
    niger = rest[(rest["kind"] == "refugees") & (rest["host_iso3"] == "NER")]
    assert len(niger) == 1
    assert "Tabareybarey" in niger["sites"].item()
    assert "Intikane" in niger["sites"].item()
    assert niger["name"].item() == "site not located"
    assert niger["people"].item() == 12_738 + 8_147 + 2_172


def test_circles_are_points_in_wgs84_with_their_columns(dataset: Dataset) -> None:
    circles = _picture(dataset, "2014-12").circles
    assert isinstance(circles, gpd.GeoDataFrame)
    assert circles.crs == WGS84
    assert list(circles.columns) == [*CIRCLE_COLUMNS, "geometry"]
    assert set(circles.geom_type) == {"Point"}
    assert circles["source_url"].str.match(r"https?://").all()


def test_arrows_cross_from_mali_into_each_host(dataset: Dataset) -> None:
    picture = _picture(dataset, "2013-12")
    arrows = picture.arrows.set_index("host_iso3")
    assert set(arrows.index) == set(HOSTS)
    mali = dataset.countries.set_index("adm0_a3").geometry
    for host in HOSTS:
        shaft = arrows.loc[host, "geometry"].geoms[0]
        start, end = shaft.coords[0], shaft.coords[-1]
        assert mali["MLI"].contains(gpd.points_from_xy([start[0]], [start[1]])[0])
        assert not mali["MLI"].contains(gpd.points_from_xy([end[0]], [end[1]])[0])
    assert arrows.loc["MRT", "origin_regions"] == "Tombouctou"
    assert arrows.loc["MRT", "people"] == 66_393


def test_circle_area_is_proportional_to_people() -> None:
    assert circle_radius(40_000) == pytest.approx(2 * circle_radius(10_000), abs=0.1)


def test_layers_have_names_features_and_no_permanent_label(dataset: Dataset) -> None:
    picture = _picture(dataset, "2014-12")
    circles = circles_layer(picture)
    arrows = arrows_layer(picture.arrows)
    assert circles.layer_name == CIRCLES_NAME
    assert arrows.layer_name == ARROWS_NAME
    page = folium.Map()
    circles.add_to(page)
    arrows.add_to(page)
    rendered = page.get_root().render()
    assert "permanent" not in rendered.replace('"permanent": false', "")
    assert "site not located" in rendered
    assert "https://www.unhcr.org/refugee-statistics/" in rendered
    south, west = circles.get_bounds()[0]
    north, east = circles.get_bounds()[1]
    assert -13 < west < east < 5
    assert 10 < south < north < 21


def test_popups_escape_the_data(dataset: Dataset) -> None:
    picture = _picture(dataset, "2014-12")
    hostile = picture.circles.copy()
    hostile.loc[0, "sites"] = "<script>alert(1)</script>"
    hostile.loc[0, "source_url"] = "javascript:alert(1)"
    page = folium.Map()
    circles_layer(DisplacementPicture(hostile, picture.totals, picture.arrows)).add_to(page)
    rendered = page.get_root().render()
    assert "<script>alert(1)</script>" not in rendered
    assert 'href=\\"javascript' not in rendered
    assert 'href="javascript' not in rendered


def test_legend_gives_each_host_total(dataset: Dataset) -> None:
    legend = circles_legend_html(_picture(dataset, "2014-12"))
    assert "Niger: 47,466 refugees as of 2014-12-31" in legend
    assert "23,057 site not located" in legend
    assert "region not given" in legend


def test_every_month_end_draws_everyone_and_places_every_circle(dataset: Dataset) -> None:
    for month in month_range("2012-01", "2014-12"):
        picture = _picture(dataset, month)
        assert (circle_share_drawn(picture) == 1.0).all(), month
        assert picture.circles.geometry.notna().all(), month
        assert (picture.totals["share_drawn"] == 1.0).all(), month


def test_the_flows_origin_has_no_permanent_label(dataset: Dataset) -> None:
    flows = flows_for(dataset, make_period("2013-01", "2013-12")).lines
    page = folium.Map()
    displacement_layer(flows).add_to(page)
    rendered = page.get_root().render()
    assert ORIGIN_LABEL in rendered  # still in its tooltip, on hover
    assert '"permanent": true' not in rendered

"""The map as files: the PNG's texts and size, and the offline HTML page."""

from __future__ import annotations

import html
import io
import re

import pytest
from PIL import Image

from layers.html import period as period_words
from layers.map_files import TITLE, view_html, view_picture, view_png
from layers.picture import map_figure
from mali_geo.catalogue import build_layers
from mali_geo.dataset import Dataset, load_dataset
from mali_geo.displacement_picture import displacement_picture
from mali_geo.period import make_period

PERIOD = make_period("2013-01", "2013-04")
VISIBLE = ("regions", "towns", "displaced", "bases", "context")


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return load_dataset()


def test_png_has_the_title_period_and_legend_of_the_view(dataset: Dataset) -> None:
    built = build_layers(dataset, PERIOD)
    label = period_words(PERIOD.start, PERIOD.end)
    picture = displacement_picture(
        dataset.displacement, dataset.places, dataset.regions, dataset.countries, PERIOD
    )
    layers, legend = view_picture(built, VISIBLE, displacement=picture)
    fig = map_figure(layers, title=TITLE, period_label=label, legend_entries=legend)
    texts = [t.get_text() for t in fig.texts]
    texts += [t.get_text() for ax in fig.axes if ax.get_legend() for t in ax.get_legend().texts]
    assert TITLE in texts
    assert label == "Jan 2013 – Apr 2013"
    assert label in texts
    assert "Towns with incidents (area: count)" in texts
    assert "site not located" in texts
    assert "Incidents (colour: event type)" not in texts  # a hidden layer: no legend line
    png = view_png(built, VISIBLE, period_label=label, context=None, displacement=picture)
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    assert image.size == (1200, 900)


def test_html_page_is_offline_and_shows_the_period(dataset: Dataset) -> None:
    built = build_layers(dataset, PERIOD)
    page = view_html(built, VISIBLE, period_label="Jan 2013 – Apr 2013").decode("utf-8")
    assert re.findall(r'<script[^>]+src="https?://', page) == []
    assert "Jan 2013 – Apr 2013" in page
    assert ".maliView(" in page
    for name in built["towns"]["name"]:  # each town's popup, with its name as written
        assert html.escape(name) in page

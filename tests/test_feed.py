"""The incident feed: order, cap, words and filters."""

from __future__ import annotations

import pandas as pd
import pytest

from mali_geo.actors import filter_by_actor_groups
from mali_geo.dataset import Dataset, load_dataset
from mali_geo.feed import incident_feed, one_line, toll_words
from mali_geo.incidents import incidents_in_period
from mali_geo.period import make_period


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return load_dataset()


def test_feed_lists_the_period_newest_first_with_words(dataset: Dataset) -> None:
    sel = incidents_in_period(dataset.incidents, make_period("2013-01", "2013-01"))
    feed = incident_feed(sel)
    assert feed.total == len(sel)
    assert feed.more == 0
    dates = pd.to_datetime(feed.rows["date"], format="%d %b %Y", errors="coerce").dropna()
    assert dates.is_monotonic_decreasing
    assert feed.rows["date"].str.contains("Jan 2013").all()
    oldest = incident_feed(sel, newest_first=False)
    assert oldest.rows["incident_id"].iloc[0] == feed.rows["incident_id"].iloc[-1]


def test_feed_is_capped_and_counts_the_rest(dataset: Dataset) -> None:
    feed = incident_feed(dataset.incidents, limit=200)
    assert len(feed.rows) == 200
    assert feed.more == len(dataset.incidents) - 200


def test_feed_follows_the_actor_filter(dataset: Dataset) -> None:
    sel = filter_by_actor_groups(dataset.incidents, ["mnla"])
    feed = incident_feed(sel, limit=10_000)
    assert set(feed.rows["incident_id"]) == set(sel["incident_id"].astype(str))


def test_words() -> None:
    assert toll_words(12, 30) == "12–30"
    assert toll_words(None, None) == "not reported"
    assert toll_words(3, None) == "at least 3"
    assert toll_words(5.0, 5.0) == "5"
    assert one_line("a  b\nc") == "a b c"
    assert one_line("word " * 100, limit=20).endswith("…")
    assert len(one_line("word " * 100, limit=20)) <= 20


@pytest.mark.parametrize("newest_first", [True, False])
@pytest.mark.parametrize("limit", [1, 7, 40, 465, 1000])
def test_a_capped_feed_lists_exactly_the_first_rows_of_a_full_sort(
    dataset: Dataset, limit: int, newest_first: bool
) -> None:
    """Ties on the cap's date and undated incidents land where a full sort puts them."""
    sel = dataset.incidents.copy()
    sel.loc[sel.index[::9], "date_start"] = pd.NaT  # some undated rows
    full = sel.sort_values(
        ["date_start", "incident_id"], ascending=not newest_first, kind="stable"
    ).head(limit)
    feed = incident_feed(sel, newest_first=newest_first, limit=limit)
    assert feed.rows["incident_id"].tolist() == full["incident_id"].astype(str).tolist()
    assert feed.total == len(sel)


def test_the_key_events_table_writes_dates_in_words(dataset: Dataset) -> None:
    """A reader sees "11 Jan 2013", not "2013-01-11"."""
    from mali_geo.summary import key_events_table

    table = key_events_table(dataset.key_events)
    assert len(table) == len(dataset.key_events)
    assert not table["date"].str.match(r"^\d{4}-\d{2}").any()
    serval = table[table["event"].str.contains("Serval", case=False)]
    assert serval["date"].iloc[0] == "11 Jan 2013"

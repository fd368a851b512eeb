"""Actor groups: the shipped table, the grouping of the shipped incidents, URL values."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from mali_geo.actors import (
    GROUP_ORDER,
    OTHER,
    actor_group_flags,
    actor_groups_of,
    default_actor_groups,
    filter_by_actor_groups,
    format_actor_groups,
    load_actor_groups,
    parse_actor_groups,
    split_actors,
    unmatched_actors,
)
from mali_geo.errors import DataError
from mali_geo.load import load_incidents


@pytest.fixture(scope="module")
def incidents() -> gpd.GeoDataFrame:
    return load_incidents()


def test_table_has_every_group_with_one_label() -> None:
    groups = default_actor_groups()
    assert list(groups.labels) == list(GROUP_ORDER)
    assert groups.labels["armed_other"] == "HCUA, MAA, GATIA and other armed groups"
    assert groups.labels["un_african"] == "MINUSMA / AFISMA"


def test_every_shipped_actor_maps_or_is_listed_as_other(incidents: gpd.GeoDataFrame) -> None:
    groups = default_actor_groups()
    actors = {a for cell in incidents["actors"] for a in split_actors(cell)}
    unmatched = set(unmatched_actors(incidents)["actor"])
    assert unmatched == {"(no other victims)"}
    assert all(groups.names(a) or a in unmatched for a in actors)


@pytest.mark.parametrize(
    ("actor", "group"),
    [
        ("Military Forces of Mali (2013-)", "mali_forces"),
        ("MNLA: National Movement for the Liberation of Azawad", "mnla"),
        ("AQIM: Al Qaeda in the Islamic Maghreb", "aqim"),
        ("Government of Mali", "mali_forces"),
        ("Operation Serval", "french_forces"),
        (
            "MINUSMA: United Nations Multidimensional Integrated Stabilization Mission in Mali "
            "(2013-)",
            "un_african",
        ),
        ("  military   forces of MALI (2013-) ", "mali_forces"),
        ("GATIA", "armed_other"),
        ("Unidentified gunmen", "unidentified"),
    ],
)
def test_acled_and_ucdp_spellings(actor: str, group: str) -> None:
    assert group in default_actor_groups().groups_of_actor(actor)


@pytest.mark.parametrize(
    ("actor", "groups"),
    [
        # "vs" names both sides of the incident.
        (
            "Unidentified (fired from the Tigharghar massif) vs MINUSMA/army",
            {"unidentified", "un_african", "mali_forces"},
        ),
        # Gunmen who only claim a group stay unidentified.
        ("Six armed men claiming to be MAA", {"unidentified"}),
        # "-linked" is not membership: the battalion counts, AQIM does not.
        ("Signed-in-Blood Battalion (Belmokhtar) / AQIM-linked fighters", {"armed_other"}),
        # Residents are civilians; the group their mayor belongs to is named, so it counts too.
        (
            "Pro-independence Tuareg residents (mayor Mohamed Assaley, HCUA)",
            {"civilians", "armed_other"},
        ),
        # Mediators are listed, as other: no group fits them.
        ("High Islamic Council of Mali mediators", {OTHER}),
    ],
)
def test_hard_to_classify_actors(actor: str, groups: set[str]) -> None:
    table = default_actor_groups()
    assert table.names(actor)
    assert table.groups_of_actor(actor) == frozenset(groups)


def test_an_unknown_actor_is_other() -> None:
    assert default_actor_groups().groups_of_actor("Some new militia") == frozenset({OTHER})


def test_split_keeps_semicolons_inside_parentheses() -> None:
    text = "Armed men (army blamed MNLA; local sources said Islamists); civilians"
    assert split_actors(text) == [
        "Armed men (army blamed MNLA; local sources said Islamists)",
        "civilians",
    ]
    assert split_actors(None) == []
    assert split_actors(" ; ") == []


def test_mnla_rows_are_found(incidents: gpd.GeoDataFrame) -> None:
    mnla = filter_by_actor_groups(incidents, ["mnla"])
    assert isinstance(mnla, gpd.GeoDataFrame)
    assert len(mnla) >= 68
    assert mnla["actors"].str.contains("MNLA").all()
    plain = incidents["actors"].map(lambda c: "MNLA" in split_actors(c))
    assert set(incidents.index[plain]) <= set(mnla.index)


def test_groups_of_an_incident_are_the_union_of_its_actors() -> None:
    frame = pd.DataFrame(
        {"actors": ["MNLA; Malian army", "Islamist armed groups (AQIM, Ansar Dine, MUJAO)", None]}
    )
    sets = actor_groups_of(frame)
    assert sets.iloc[0] == frozenset({"mnla", "mali_forces"})
    assert sets.iloc[1] == frozenset({"aqim", "ansar_dine", "mujao"})
    assert sets.iloc[2] == frozenset({OTHER})
    flags = actor_group_flags(frame)
    assert list(flags.columns) == list(GROUP_ORDER)
    assert flags.loc[0, "mnla"]
    assert not flags.loc[0, "aqim"]


def test_filter_none_keeps_all_and_empty_keeps_none(incidents: gpd.GeoDataFrame) -> None:
    assert len(filter_by_actor_groups(incidents, None)) == len(incidents)
    assert filter_by_actor_groups(incidents, []).empty
    several = filter_by_actor_groups(incidents, ["french_forces", "un_african"])
    french = filter_by_actor_groups(incidents, ["french_forces"])
    assert len(french) < len(several) < len(incidents)


def test_url_value_round_trip_and_unknown_ids() -> None:
    sel = parse_actor_groups(" AQIM,mnla,,nope,mnla")
    assert sel.groups == ("mnla", "aqim")
    assert sel.unknown == ("nope",)
    assert format_actor_groups(sel.groups) == "mnla,aqim"
    assert parse_actor_groups(None).groups == ()
    assert parse_actor_groups(format_actor_groups(GROUP_ORDER)).groups == GROUP_ORDER
    with pytest.raises(ValueError, match="unknown actor group"):
        format_actor_groups(["mnla", "isis"])


def test_bad_tables_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "groups.csv"
    path.write_text("actor,group,label\nMNLA,mnla,MNLA\nMNLA,rebels,Rebels\n", encoding="utf-8")
    with pytest.raises(DataError, match="line 3: unknown group 'rebels'"):
        load_actor_groups(path)
    path.write_text("actor,group,label\nMNLA,mnla,MNLA\nmnla ,mnla,MNLA\n", encoding="utf-8")
    with pytest.raises(DataError, match="repeats actor"):
        load_actor_groups(path)
    path.write_text("actor,group,label\nMNLA,mnla,MNLA\nX,mnla,Tuareg rebels\n", encoding="utf-8")
    with pytest.raises(DataError, match="more than one label"):
        load_actor_groups(path)
    path.write_text("actor,label\nMNLA,MNLA\n", encoding="utf-8")
    with pytest.raises(DataError, match="missing column"):
        load_actor_groups(path)
    with pytest.raises(DataError, match="cannot be read"):
        load_actor_groups(tmp_path / "absent.csv")

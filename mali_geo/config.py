"""Paths, coordinate reference systems, the study period and the study area."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
GEODATA_DIR = PROJECT_DIR / "geodata"

REGIONS_PATH = GEODATA_DIR / "mali_regions_2012.geojson"
COUNTRIES_PATH = GEODATA_DIR / "countries_context.geojson"
NIGER_PATH = GEODATA_DIR / "niger_river.geojson"
LAKES_PATH = GEODATA_DIR / "lakes_west_africa.geojson"
PLACES_PATH = GEODATA_DIR / "places.csv"
INCIDENTS_PATH = GEODATA_DIR / "incidents_mali_2012_2014.csv"
KEY_EVENTS_PATH = GEODATA_DIR / "key_events_reference.csv"
DISPLACEMENT_PATH = GEODATA_DIR / "displacement_mali_2012_2014.csv"
SITUATION_PATH = GEODATA_DIR / "displacement_situation_2012_2014.csv"
BASES_PATH = GEODATA_DIR / "bases.csv"
CENSUS_PATH = GEODATA_DIR / "census_2009_regions.csv"

WGS84 = "EPSG:4326"
#: Africa Albers Equal Area Conic: areas.
EQUAL_AREA_CRS = "ESRI:102022"
#: UTM zone 30N covers central Mali (Sévaré, Diabali, Konna): distances.
DISTANCE_CRS = "EPSG:32630"

#: The months the data covers, inclusive ("YYYY-MM").
FIRST_MONTH = "2012-01"
LAST_MONTH = "2014-12"

#: Study area (lon_min, lat_min, lon_max, lat_max): Mali, its neighbours' camps and hosts.
STUDY_AREA = (-18.0, 4.0, 16.0, 28.0)

#: Point coordinates are rounded to 6 decimals (~0.1 m), shapes to 5 (~1 m).
POINT_PRECISION = 6
SHAPE_PRECISION = 5

#: Mali's regions as of 2012 (8 regions and the Bamako district), as the data names them.
REGION_NAMES: tuple[str, ...] = (
    *("Kayes", "Koulikoro", "Sikasso", "Ségou", "Mopti"),
    *("Tombouctou", "Gao", "Kidal", "Bamako"),
)
#: The three northern regions of Mali as of 2012.
NORTHERN_REGIONS = ("Tombouctou", "Gao", "Kidal")

ATTRIBUTION = (
    "Boundaries, rivers and lakes: Made with Natural Earth (public domain). "
    "Places: GeoNames (CC BY 4.0); © OpenStreetMap contributors (ODbL 1.0). "
    "Refugees and IDPs: UNHCR Refugee Data Finder (CC BY 4.0); "
    "IOM DTM, CMP, IDMC (cited per figure). "
    "Incidents, key events and bases: compiled from public reports, source linked per feature."
)

#: Armed groups as named in the bases' ``held_by`` (a holder naming one is an armed group).
ARMED_GROUPS: tuple[str, ...] = ("MNLA", "Ansar Dine", "AQIM", "MUJAO", "Islamist")

#: Where UNHCR's figures can be looked up (the data came via UNHCR's ``refugees`` R package).
UNHCR_URL = "https://www.unhcr.org/refugee-statistics/"

#: Event types grouped for the map's colours (at most 7 groups stay readable): group label ->
#: the project's fine event types in it. The popups still name the fine type.
EVENT_GROUPS: dict[str, tuple[str, ...]] = {
    "Battles and clashes": ("battle", "clash_between_armed_groups", "armed_attack"),
    "Explosions and remote violence": (
        *("air_strike", "ied_landmine", "rocket_shelling", "suicide_attack"),
    ),
    "Violence against civilians": ("violence_against_civilians", "kidnapping"),
    "Protests and riots": ("riot_protest",),
    "Strategic developments": ("strategic_development",),
    "Coup and mutiny": ("coup_mutiny",),
    "Other": ("other",),
}

#: How regions are shaded: incidents per 10,000 km² of area, or per 100,000 inhabitants (2009
#: census). The key is the option's name in code and URLs; the value its legend wording.
REGION_DENSITIES: dict[str, str] = {
    "area": "incidents per 10,000 km²",
    "people": "incidents per 100,000 people (2009 census)",
}
DEFAULT_REGION_DENSITY = "area"

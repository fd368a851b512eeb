"""Texts around the map: notes, captions and the sources, as safe HTML or Markdown."""

from __future__ import annotations

from layers import html
from mali_geo.displacement import Figure, Flows

EMPTY_PERIOD = (
    "No incident with a coordinate is recorded in this period for the chosen event types. "
    "That does not mean nothing happened: the incidents are a compiled sample (see *Sources "
    "and coverage*). Widen the period or the event types to see more."
)

SOURCES_MD = """
**Sources and licences** (details per file in `geodata/README.md`)

- Boundaries, countries, rivers, lakes: **Made with Natural Earth** (public domain).
- Place coordinates: **GeoNames** (CC BY 4.0) and **© OpenStreetMap contributors** (ODbL 1.0),
  one source per place; the Adrar des Ifoghas point from Wikipedia.
- Refugees: **UNHCR** Refugee Data Finder (CC BY 4.0). IDPs: **IOM** DTM, the Commission on
  Population Movements (CMP) and IDMC, each figure with its citation.
- Incidents, key events and bases: compiled from public reports (news agencies, Wikipedia,
  NGO and UN pages); every feature links to its source.
- Light tiles (optional): © OpenStreetMap contributors © CARTO.
- Story: *Mali: one year after the intervention* briefing, January 2014.
"""


def fatality_text(low: int | None, high: int | None) -> str:
    """The fatality range as a short headline figure: "≥ 1,180", "12–30", "not reported"."""
    text = html.fatalities(low, high)
    return text.replace("at least ", "≥ ").replace("up to ", "≤ ")


def flows_note(flows: Flows) -> str:
    """What the flows leave out: camps without a coordinate and missing IDP breakdowns."""
    notes = []
    if not flows.unplaced.empty:
        listed = ", ".join(
            f"{site} ({people:,}, {host})"
            for site, people, host in zip(
                flows.unplaced["site"],
                flows.unplaced["people"].astype(int),
                flows.unplaced["host"],
                strict=True,
            )
        )
        notes.append(
            "Not on the map: sites with no coordinate in the project's gazetteer "
            "(geodata/places.csv: camps and towns were located only from cited sources, and "
            "none was found for these); they count in the host country's total and are in the "
            f"downloads with no geometry: {listed}."
        )
    kinds = set(flows.lines["kind"]) if not flows.lines.empty else set()
    if "idps" not in kinds:
        notes.append(
            "No IDP figures by host region exist at or before the end of this period (the first "
            "IOM breakdown is February 2014); the national IDP total is in the headline."
        )
    if "refugees" not in kinds:
        notes.append("No UNHCR figure by camp exists at or before the end of this period.")
    notes.append(
        "Origins: the sources do not say where people fled from, so every flow starts at one "
        "point for northern Mali as a whole."
    )
    return " ".join(notes)


MONTHLY_CAPTION = (
    "Incidents per month (an incident counts in every month its dates overlap); red: the "
    "selected period (drag across the bars to choose one). Source: the incidents, one cited "
    "report each."
)
#: Streamlit Markdown colour badges (text, so they read without an emoji font).
VERDICT_BADGES: dict[str, str] = {
    "agrees": ":green-badge[agrees]",
    "partly agrees": ":orange-badge[partly agrees]",
    "differs": ":red-badge[differs]",
    "as stated (not checkable here)": ":gray-badge[as stated, not checkable here]",
    "no data": ":gray-badge[no data]",
}


def verdict_badge(verdict: str) -> str:
    """A verdict with a symbol, for a story data check."""
    return VERDICT_BADGES.get(verdict, verdict)


def as_of_note(figure: Figure | None) -> str:
    """The as-of date and source of a headline displacement figure."""
    if figure is None:
        return "no figure at or before the end of this period"
    return f"as of {figure['as_of']:%d %b %Y} · {short_source(figure['source'])}"


def short_source(source: str) -> str:
    """A short name for a displacement source ("UNHCR", "IOM DTM", "CMP", "IDMC")."""
    for prefix, short in (
        ("UNHCR", "UNHCR"),
        ("IOM", "IOM DTM"),
        ("Commission on Population Movements", "CMP"),
        ("IDMC", "IDMC"),
    ):
        if source.startswith(prefix):
            return short
    return source

"""Large invented incident files for the limit tests: rows that pass, or rows that all fail."""

from __future__ import annotations

HEADER = "id,date,date_end,lat,lon,place,fatalities,source,notes\n"


def incidents_csv(size: int, *, bad: bool = False) -> bytes:
    """A plain CSV of at most ``size`` bytes, every row valid or (``bad``) every row rejected."""
    parts = [HEADER]
    length = len(HEADER)
    i = 0
    while True:
        if bad:
            row = (
                f"B-{i},2013-02-30,,nope,-0.04472,Gao {i},x,Invented Wire,"
                f"an invented note about event {i} in the region\n"
            )
        else:
            row = (
                f"G-{i},2013-01-{1 + i % 28:02d},,16.27167,-0.04472,Gao {i},{i % 9},"
                f"Invented Wire,an invented note about event {i} in the region\n"
            )
        if length + len(row) > size:
            break
        parts.append(row)
        length += len(row)
        i += 1
    return "".join(parts).encode("utf-8")

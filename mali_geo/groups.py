"""Per-group reductions over integer group codes (``0 .. n - 1``), linear in the rows.

Towns, regions and grid cells summarise rows by group; these use numpy's unbuffered
``ufunc.at`` and ``bincount`` instead of sorting the rows by group.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt


def group_first(codes: npt.NDArray[np.int64], n: int) -> npt.NDArray[np.int64]:
    """The first row of each group (every group has one)."""
    first = np.full(n, len(codes), dtype=np.int64)
    np.minimum.at(first, codes, np.arange(len(codes), dtype=np.int64))
    return first


def group_extreme(
    codes: npt.NDArray[np.int64], values: npt.NDArray[np.int64], n: int, ufunc: np.ufunc
) -> npt.NDArray[np.int64]:
    """The smallest (``np.minimum``) or largest (``np.maximum``) value of each group."""
    info = np.iinfo(np.int64)
    out = np.full(n, info.max if ufunc is np.minimum else info.min, dtype=np.int64)
    ufunc.at(out, codes, values)
    return out

"""A CSV with one column of each feature type, and its statistics computed by pandas alone.

The compat tests (DataRobot's client) and the client tests (ours) both upload ``FEATURES_CSV``
and compare what the service says about each column with ``pandas_features``.
"""

from __future__ import annotations

import io
from typing import Any

import pandas as pd

ROWS = 90
#: The feature type each column must get.
TYPES = {
    "age": "Numeric",
    "income": "Numeric",
    "region": "Categorical",
    "comment": "Text",
    "opened": "Date",
    "active": "Boolean",
    "constant": "Categorical",
    "defaulted": "Categorical",
}


def _row(i: int) -> str:
    age = "" if i % 9 == 4 else str(18 + (i * 37) % 60)  # every ninth age is missing
    income = f"{20000 + (i * 7919) % 90000 + (i % 7) / 8:.3f}"
    region = ["north", "south", "east", "west"][(i * 3) % 4]
    comment = f"customer {i} asked about rates"
    opened = f"20{10 + i % 14}-{1 + (i * 5) % 12:02d}-{1 + (i * 3) % 28:02d}"
    active = "True" if (i * 3) % 5 < 2 else "False"
    defaulted = "yes" if (i * 7) % 11 < 4 else "no"
    return f"{age},{income},{region},{comment},{opened},{active},x,{defaulted}"


FEATURES_CSV = ("\n".join([",".join(TYPES), *(_row(i) for i in range(ROWS))]) + "\n").encode()


def pandas_features(content: bytes = FEATURES_CSV) -> dict[str, dict[str, Any]]:
    """Per column: missing and unique counts, and for numbers min, max, mean, median and
    standard deviation, for dates min and max (ISO-8601), all computed by pandas."""
    frame = pd.read_csv(io.BytesIO(content))
    out = {}
    for name in frame.columns:
        column = frame[name]
        stats: dict[str, Any] = {
            "naCount": int(column.isna().sum()),
            "uniqueCount": column.nunique(),
        }
        if pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column):
            stats.update(
                min=column.min(),
                max=column.max(),
                mean=column.mean(),
                median=column.median(),
                stdDev=column.std(),
            )
        elif TYPES[name] == "Date":
            dates = pd.to_datetime(column, format="%Y-%m-%d")
            stats.update(min=dates.min().isoformat(), max=dates.max().isoformat())
        out[name] = stats
    return out

"""Column profiles of a CSV, computed once at upload in one streamed pass with bounded memory.

The file is read with pandas in chunks of about ``CHUNK_CELLS`` cells. Per column the profile
keeps running moments (count, missing, min, max, mean, standard deviation: exact on any size),
the ``SAMPLE`` smallest 64-bit hashes of its distinct values (the unique count: exact up to
``SAMPLE`` distinct values, beyond that the k-minimum-values estimate, about 0.4% off) and,
for numbers, the values of the ``SAMPLE`` rows with the smallest pseudo-random row keys (a
uniform sample: the median is exact up to ``SAMPLE`` values and, beyond, the median of that
sample, as DataRobot's statistics come from its EDA sample). Memory is therefore bounded by
the chunk and ``SAMPLE`` per column, whatever the file's length.

A column's type is what pandas infers for the whole file: chunks that disagree as integer and
float make a float column; any other disagreement re-reads the file with that column as text.
The feature type follows DataRobot's names: ``Numeric``, ``Boolean``, ``Date`` (every value
parses with one date format), ``Text`` (most values hold whitespace and most are distinct) and
``Categorical`` (every other text column).

Examples
--------
>>> import pathlib, tempfile
>>> path = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
>>> _ = path.write_text("x,kind\\n1,a\\n3,b\\n,a\\n")
>>> described = profile_csv(path)
>>> described["row_count"], [c["featureType"] for c in described["columns"]]
(3, ['Numeric', 'Categorical'])
>>> {k: described["columns"][0][k] for k in ("naCount", "uniqueCount", "min", "max", "median")}
{'naCount': 1, 'uniqueCount': 2, 'min': 1.0, 'max': 3.0, 'median': 2.0}
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

CHUNK_CELLS = 1_000_000
#: Distinct hashes and sampled values kept per column (2**16: a unique-count estimate within
#: about 1/sqrt(SAMPLE) = 0.4% once a column has more distinct values than this).
SAMPLE = 1 << 16
_HASH_SPACE = float(1 << 64)
_BOOL_WORDS = frozenset({"true", "false"})


class _Retype(Exception):
    """Chunks disagree on a column's type: read the file again with it as text."""

    def __init__(self, column: str) -> None:
        super().__init__(column)
        self.column = column


@dataclass
class _Column:
    """The running profile of one column."""

    name: str
    sample: int
    kind: str | None = None  # int, float, bool or text: what the chunks agreed on so far
    dtypes: set[str] = field(default_factory=set)  # pandas' dtypes of chunks with values
    count: int = 0
    missing: int = 0
    hashes: Any = field(default_factory=lambda: np.empty(0, np.uint64))
    saturated: bool = False
    low: Any = None
    high: Any = None
    mean: float = 0.0
    m2: float = 0.0
    keys: Any = field(default_factory=lambda: np.empty(0, np.uint64))
    values: Any = field(default_factory=lambda: np.empty(0, np.float64))
    spaced: int = 0
    bool_words: bool = True
    date_format: str | None = None
    dates: bool = True

    def add(self, series: Any, row_keys: Any) -> None:
        present = series.notna().to_numpy()
        values = series[present]
        self.missing += int(len(series) - len(values))
        if len(values) == 0:
            return
        kind = _kind(values)
        self.dtypes.add(str(series.dtype))
        if self.kind is None or {self.kind, kind} == {"int", "float"}:
            self.kind = "float" if self.kind == "float" else kind
        elif kind != self.kind:
            raise _Retype(self.name)
        self.count += len(values)
        if kind in ("int", "float"):
            numbers = values.to_numpy(np.float64) + 0.0  # -0.0 and 0.0 are one value
            self._moments(values, numbers)
            self._sample(row_keys[present], numbers)
            self._distinct(numbers)
        elif kind == "bool":
            self._distinct(values.astype(bool).to_numpy(np.uint8))
        else:
            self._text(values.astype(str))

    def _moments(self, values: Any, numbers: Any) -> None:
        low, high = values.min(), values.max()
        self.low = low if self.low is None else min(self.low, low)
        self.high = high if self.high is None else max(self.high, high)
        # Chan et al.'s pairwise update: stable, and exact to rounding at any length.
        n_a, n_b = self.count - len(numbers), len(numbers)
        mean_b = float(numbers.mean())
        m2_b = float(((numbers - mean_b) ** 2).sum())
        delta = mean_b - self.mean
        self.mean += delta * n_b / self.count
        self.m2 += m2_b + delta * delta * n_a * n_b / self.count

    def _sample(self, keys: Any, numbers: Any) -> None:
        if len(self.keys) == self.sample:  # full: only keys below its largest can enter
            below = keys < self.keys.max()
            keys, numbers = keys[below], numbers[below]
        keys, numbers = np.concatenate([self.keys, keys]), np.concatenate([self.values, numbers])
        if len(keys) > self.sample:
            keep = np.argpartition(keys, self.sample - 1)[: self.sample]
            keys, numbers = keys[keep], numbers[keep]
        self.keys, self.values = keys, numbers

    def _distinct(self, values: Any) -> None:
        import pandas as pd

        hashes = pd.util.hash_array(values)
        if self.saturated:  # only hashes below the largest kept can be among the smallest
            hashes = hashes[hashes < self.hashes[-1]]
        # pandas' hash table drops a chunk's repeats faster than numpy's sort of them all.
        merged = np.union1d(self.hashes, pd.unique(hashes))
        if len(merged) > self.sample:
            self.saturated, merged = True, merged[: self.sample]
        self.hashes = merged

    def _text(self, values: Any) -> None:
        import pandas as pd

        # Every check on text is of each distinct value once, weighted by how often it occurs:
        # columns of text repeat (regions, labels), and Python's per-value string work was most
        # of the time of a large upload.
        codes, distinct = pd.factorize(values.to_numpy(object))
        values = pd.Series(distinct, dtype=object)
        occurs = np.bincount(codes, minlength=len(distinct))
        self._distinct(distinct)
        self.spaced += int(occurs[values.str.contains(r"\s", regex=True).to_numpy(bool)].sum())
        self.bool_words = self.bool_words and bool(values.str.lower().isin(_BOOL_WORDS).all())
        if not self.dates:
            return
        if self.date_format is None:
            fmt = pd.tseries.api.guess_datetime_format(values.iloc[0])
            if fmt is None or not any(y in fmt for y in ("%Y", "%y")) or "%m" not in fmt:
                self.dates = False
                return
            self.date_format = fmt
        parsed = pd.to_datetime(values, format=self.date_format, errors="coerce")
        if parsed.isna().any():
            self.dates = False
            return
        low, high = parsed.min(), parsed.max()
        self.low = low if self.low is None else min(self.low, low)
        self.high = high if self.high is None else max(self.high, high)

    # -- the result ------------------------------------------------------------------------
    def unique_count(self) -> int:
        if not self.saturated:
            return len(self.hashes)
        # k-minimum values: the k-th smallest of n uniform hashes sits near k / n.
        return round((self.sample - 1) * _HASH_SPACE / (float(self.hashes[-1]) + 1.0))

    def feature_type(self) -> str:
        if self.kind in (None, "int", "float"):
            return "Numeric"
        if self.kind == "bool" or self.bool_words:
            return "Boolean"
        if self.dates:
            return "Date"
        if 2 * self.spaced >= self.count and 2 * self.unique_count() > self.count:
            return "Text"
        return "Categorical"

    def dtype(self) -> str:
        """The dtype pandas gives the whole column."""
        if self.kind is None:
            return "float64"  # nothing but missing values
        if self.kind in ("int", "float"):
            return "int64" if self.dtypes == {"int64"} and not self.missing else "float64"
        if len(self.dtypes) == 1 and not (self.kind == "bool" and self.missing):
            return next(iter(self.dtypes))
        return "object"

    def result(self) -> dict[str, Any]:
        feature_type = self.feature_type()
        unique = self.unique_count()
        out: dict[str, Any] = {
            "name": self.name,
            "dtype": self.dtype(),
            "featureType": feature_type,
            "naCount": self.missing,
            "uniqueCount": unique,
            "lowInformation": unique < 2,
        }
        if feature_type == "Numeric" and self.count:
            out.update(
                min=_number(self.low),
                max=_number(self.high),
                mean=_number(self.mean),
                median=_number(float(np.median(self.values))),
                stdDev=_number(math.sqrt(self.m2 / (self.count - 1))) if self.count > 1 else None,
            )
        elif feature_type == "Date":
            out.update(
                dateFormat=self.date_format, min=self.low.isoformat(), max=self.high.isoformat()
            )
        return out


def _kind(values: Any) -> str:
    import pandas as pd

    types = pd.api.types
    if types.is_bool_dtype(values.dtype):
        return "bool"
    if types.is_integer_dtype(values.dtype):
        return "int"
    if types.is_float_dtype(values.dtype):
        return "float"
    inferred = types.infer_dtype(values, skipna=True)
    return "bool" if inferred == "boolean" else "text"


def _number(value: Any) -> int | float | None:
    """A JSON number (native int or float), or None where the value is not finite."""
    value = value.item() if hasattr(value, "item") else value
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def profile_csv(path: Path, sample: int = SAMPLE, chunk_cells: int = CHUNK_CELLS) -> dict:
    """The row count and each column's dtype, feature type and statistics (module docstring).

    Raises pandas' own errors for files it cannot read (empty, ragged, not UTF-8).
    """
    text_columns: set[str] = set()
    while True:
        try:
            return _profile(path, sample, chunk_cells, text_columns)
        except _Retype as e:
            text_columns.add(e.column)


def _profile(path: Path, sample: int, chunk_cells: int, text_columns: set[str]) -> dict:
    import pandas as pd

    header = list(pd.read_csv(path, nrows=0, encoding="utf-8", encoding_errors="strict").columns)
    columns = {str(name): _Column(str(name), sample) for name in header}
    rows = 0
    reader = pd.read_csv(
        path,
        encoding="utf-8",
        encoding_errors="strict",
        chunksize=max(1, chunk_cells // max(1, len(header))),
        low_memory=False,
        dtype=dict.fromkeys(text_columns, str),
    )
    with reader:
        for chunk in reader:
            # A pseudo-random key per row, the same on every read: the sample's draw.
            keys = pd.util.hash_array(np.arange(rows, rows + len(chunk), dtype=np.uint64))
            for name, column in zip(columns, chunk.columns, strict=True):
                columns[name].add(chunk[column], keys)
            rows += len(chunk)
    return {
        "row_count": rows,
        "columns": [column.result() for column in columns.values()],
    }

"""Column statistics at upload: the same as pandas on the whole file, read in chunks with
memory that does not grow with the file."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ucwidgets.server.profile import profile_csv


def write(tmp_path: Path, frame: pd.DataFrame, name: str = "data.csv") -> Path:
    path = tmp_path / name
    frame.to_csv(path, index=False)
    return path


def test_chunks_that_disagree_give_the_whole_file_types(tmp_path: Path) -> None:
    """An integer column with a missing value late on is float; a column that turns to text
    late on is text, its early numbers counted as text too."""
    n = 400
    frame = pd.DataFrame(
        {
            "count": [*range(n - 1), None],
            "code": [str(i % 7) for i in range(n - 10)] + ["x"] * 10,
            "flag": ["True" if i % 3 else "False" for i in range(n - 1)] + [None],
        }
    )
    path = write(tmp_path, frame)
    whole = pd.read_csv(path)
    profiled = profile_csv(path, chunk_cells=90)  # 30 rows a chunk
    columns = {c["name"]: c for c in profiled["columns"]}
    assert profiled["row_count"] == n
    for name in whole.columns:
        assert columns[name]["dtype"] == str(whole[name].dtype), name
        assert columns[name]["uniqueCount"] == whole[name].nunique(), name
        assert columns[name]["naCount"] == whole[name].isna().sum(), name
    assert [c["featureType"] for c in profiled["columns"]] == ["Numeric", "Categorical", "Boolean"]
    assert columns["count"]["mean"] == pytest.approx(whole["count"].mean(), rel=1e-12)
    assert columns["count"]["stdDev"] == pytest.approx(whole["count"].std(), rel=1e-12)
    assert columns["count"]["median"] == whole["count"].median()


def test_beyond_the_sample_counts_and_medians_are_estimates(tmp_path: Path) -> None:
    rng = np.random.default_rng(7)
    n = 20_000
    frame = pd.DataFrame({"x": rng.lognormal(0, 1, n), "k": rng.integers(0, 10**9, n)})
    path = write(tmp_path, frame)
    whole = pd.read_csv(path)
    columns = {c["name"]: c for c in profile_csv(path, sample=1024, chunk_cells=6000)["columns"]}
    for name in ("x", "k"):
        column = whole[name]
        assert columns[name]["uniqueCount"] == pytest.approx(column.nunique(), rel=0.1)
        # the median of a uniform sample of 1024 rows: within three standard errors
        low, high = column.quantile([0.45, 0.55])
        assert low <= columns[name]["median"] <= high
        # moments stay exact however long the file
        assert columns[name]["mean"] == pytest.approx(column.mean(), rel=1e-9)
        assert columns[name]["stdDev"] == pytest.approx(column.std(), rel=1e-9)
        assert (columns[name]["min"], columns[name]["max"]) == (column.min(), column.max())


def peak_bytes(path: Path) -> int:
    tracemalloc.start()
    try:
        profile_csv(path, sample=512, chunk_cells=9_000)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_does_not_grow_with_the_file(tmp_path: Path) -> None:
    rng = np.random.default_rng(3)

    def frame(n: int) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "x": rng.normal(0, 1, n),
                "name": [f"customer {i}" for i in range(n)],
                "n": rng.integers(0, 100, n),
            }
        )

    small = write(tmp_path, frame(6_000), "small.csv")
    large = write(tmp_path, frame(24_000), "large.csv")
    # Reading the large file whole would hold four times the small one's columns.
    assert peak_bytes(large) < 1.5 * peak_bytes(small)

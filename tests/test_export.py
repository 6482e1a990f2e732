"""ca.write_frame and ca.for_charts: files and charts from typed frames, nothing lost silently."""

from __future__ import annotations

import csv
import zipfile
from datetime import timedelta
from decimal import Decimal as D

import polars as pl
import pytest
from polars.testing import assert_frame_equal

import callanalytics as ca


@pytest.fixture
def frame() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "agent": ["Ann", "Bo"],
            "aht": [timedelta(seconds=90), timedelta(milliseconds=61_500)],
            "margin": [D("16893.50"), D("-0.10")],
            "rate": [0.5, None],
        },
        schema_overrides={"margin": pl.Decimal(38, 2)},
    )


def test_csv_has_seconds_in_the_name_and_exact_money(frame, tmp_path):
    path = ca.write_frame(frame, tmp_path / "out.csv")
    with path.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["agent", "aht_s", "margin", "rate"]
    assert [(r["aht_s"], r["margin"]) for r in rows] == [("90.0", "16893.50"), ("61.5", "-0.10")]


def test_csv_money_as_floats_by_choice(frame, tmp_path):
    path = ca.write_frame(frame.lazy(), tmp_path / "out.csv", money="float")
    assert pl.read_csv(path)["margin"].to_list() == [16893.5, -0.1]


def test_parquet_keeps_every_dtype(frame, tmp_path):
    path = ca.write_frame(frame, tmp_path / "out.parquet")
    assert pl.read_parquet(path).equals(frame)


def test_excel_is_written_with_seconds_and_money(frame, tmp_path):
    path = ca.write_frame(frame, tmp_path / "out.xlsx", money="float")
    with zipfile.ZipFile(path) as book:
        strings = book.read("xl/sharedStrings.xml").decode()
        sheet = book.read("xl/worksheets/sheet1.xml").decode()
    assert "aht_s" in strings and "margin" in strings
    assert "16893.5" in sheet and "61.5" in sheet


def test_typed_sample_round_trips_through_csv(tmp_path):
    calls = ca.sample_dialer_results(n=50)
    path = ca.write_frame(calls, tmp_path / "calls.csv")
    back = pl.read_csv(path, infer_schema=False)
    assert "duration_s" in back.columns and "duration" not in back.columns
    assert back.height == 50


def test_bad_choices_are_clear_errors(frame, tmp_path):
    with pytest.raises(ValueError, match=r"out\.txt.*\.csv, \.parquet or \.xlsx"):
        ca.write_frame(frame, tmp_path / "out.txt")
    with pytest.raises(ValueError, match="money must be 'string' or 'float'"):
        ca.write_frame(frame, tmp_path / "out.csv", money="cents")
    clash = frame.with_columns(aht_s=pl.lit(1.0))
    with pytest.raises(ValueError, match="aht_s"):
        ca.write_frame(clash, tmp_path / "out.csv")


def test_for_charts_gives_minutes_and_floats(frame):
    out = ca.for_charts(frame)
    assert out.schema == pl.Schema(
        {"agent": pl.String, "aht": pl.Float64, "margin": pl.Float64, "rate": pl.Float64}
    )
    assert out["aht"].to_list() == pytest.approx([1.5, 61.5 / 60])
    assert out["margin"].to_list() == [16893.5, -0.1]
    lazy = ca.for_charts(frame.lazy())
    assert isinstance(lazy, pl.LazyFrame)
    assert_frame_equal(lazy.collect(), out)


def test_metrics_is_reachable_from_the_package():
    import callanalytics

    assert callanalytics.metrics.speed_to_lead_summary is not None
    row = ca.metrics.speed_to_lead_summary(ca.sample_dialer_results(n=100)).row(0, named=True)
    assert row["leads"] > 0


def _sheet_cells(path) -> tuple[str, str]:
    """The shared strings and the first sheet's XML (the venv has no Excel reader engine)."""
    with zipfile.ZipFile(path) as book:
        return (
            book.read("xl/sharedStrings.xml").decode(),
            book.read("xl/worksheets/sheet1.xml").decode(),
        )


def test_excel_writes_zoned_datetimes_as_local_wall_time_with_the_zone_in_the_header(tmp_path):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    utc = datetime(2024, 11, 5, 15, 30, tzinfo=ZoneInfo("UTC"))
    frame = pl.DataFrame({"call_start": [utc], "naive": [datetime(2024, 1, 2, 3, 4)]}).with_columns(
        pl.col("call_start").dt.convert_time_zone("America/New_York")
    )
    path = ca.write_frame(frame, tmp_path / "out.xlsx")
    strings, sheet = _sheet_cells(path)
    assert "call_start (America/New_York)" in strings
    assert "<t>naive</t>" in strings
    # 10:30 New York wall time (EST, UTC-5) as an Excel serial: days since 1899-12-30.
    local = (datetime(2024, 11, 5, 10, 30) - datetime(1899, 12, 30)).total_seconds() / 86400
    assert f"<v>{local}</v>" in sheet  # 45601.4375


def test_excel_takes_every_raw_source_frame(tmp_path):
    for name, frame in {
        "dialer": ca.sample_dialer_results(n=300),
        "leadflow": ca.sample_leadflow_history(n=100),
    }.items():
        path = ca.write_frame(frame, tmp_path / f"{name}.xlsx")
        strings, _ = _sheet_cells(path)
        assert "(America/New_York)" in strings


def test_clash_messages_agree_in_number(frame, tmp_path):
    with pytest.raises(ValueError, match=r"column aht_s already exists$"):
        ca.write_frame(frame.with_columns(aht_s=pl.lit(1.0)), tmp_path / "out.csv")
    zoned = pl.DataFrame({"t": [None, None]}, schema={"t": pl.Datetime("us", "UTC")})
    both = zoned.with_columns(pl.lit(1).alias("t (UTC)"))
    with pytest.raises(ValueError, match=r"column t \(UTC\) already exists$"):
        ca.write_frame(both, tmp_path / "out.xlsx")

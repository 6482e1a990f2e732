"""load_*: the one door notebooks use, for the sample, saved files and filters."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

import callanalytics as ca


def test_sample_window_is_local_days_start_inclusive_end_exclusive():
    calls = ca.load_dialer_results("sample", "2024-11-03", "2024-11-04")
    days = calls["call_start"].dt.date().unique().to_list()
    assert days == [date(2024, 11, 3)] and calls.height > 0


def test_saved_files_of_every_format_give_the_same_frame(tmp_path):
    paths = ca.write_sample_files(tmp_path, n_dialer=400, n_leadflow=300)
    from_csv = ca.load_dialer_results(str(paths["dialer_csv"]), "2024-10-28", "2024-11-11")
    from_parquet = ca.load_dialer_results(str(paths["dialer_parquet"]), "2024-10-28", "2024-11-11")
    assert from_csv.equals(from_parquet) and from_csv.height == 400
    json_frame = ca.load_leadflow_history(str(paths["leadflow_json"]), "2024-10-28", "2024-11-11")
    assert json_frame.equals(
        ca.load_leadflow_history(str(paths["leadflow_parquet"]), "2024-10-28", "2024-11-11")
    )


def test_campaign_and_affiliate_filters():
    calls = ca.load_dialer_results("sample", campaigns=["10452", "Solar Web Leads"])
    assert sorted(calls["campaign_id"].unique()) == ["10452", "10471"]
    traffic = ca.load_leadflow_history("sample", affiliates=["Delta Leads"])
    assert traffic["affiliate"].unique().to_list() == ["Delta Leads"]


def test_a_parquet_file_of_another_report_is_refused(tmp_path):
    path = tmp_path / "other.parquet"
    pl.DataFrame({"x": [1]}).write_parquet(path)
    with pytest.raises(ValueError, match="not Parquet of the Engage Voice Dialer Result Download"):
        ca.load_dialer_results(str(path))


def test_campaign_ids_given_as_numbers_still_match():
    # `callanalytics report ... -p campaigns=[10452]` parses the value as JSON numbers
    assert ca.load_dialer_results("sample", campaigns=[10452]).height > 0


def test_rows_with_a_dst_gap_time_are_kept_by_the_date_window(tmp_path):
    from tests.conftest import dialer_csv

    path = tmp_path / "gap.csv"
    rows = [
        {"callID": "1", "call_start": "2024-03-10 02:30:00"},
        {"callID": "2", "call_start": "2024-03-10 10:00:00"},
        {"callID": "3", "call_start": "2024-03-12 10:00:00"},
    ]
    path.write_bytes(dialer_csv(rows))
    with pytest.warns(ca.NonexistentLocalTimeWarning):
        calls = ca.load_dialer_results(str(path), "2024-03-10", "2024-03-11")
    assert calls["callID"].to_list() == ["1", "2"]  # the gap row is null-timed, not dropped

"""load_*: the one door notebooks use, for the sample, saved files and filters."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

import callanalytics as ca
from callanalytics.load import (
    FilterError,
    UnmatchedFilterWarning,
    load_window,
    window_label,
)


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
    from tests.builders import dialer_csv

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


def test_a_filter_that_matches_nothing_is_an_error_listing_the_available_values():
    with pytest.raises(FilterError, match="campaigns") as caught:
        ca.load_dialer_results("sample", campaigns=["Solar"])  # a typo of "Solar Web Leads"
    message = str(caught.value)
    assert "'Solar'" in message and "10471 (Solar Web Leads)" in message
    assert "10452 (Medicare Advantage Q4)" in message and isinstance(caught.value, ValueError)
    with pytest.raises(FilterError, match="affiliates") as caught:
        ca.load_leadflow_history("sample", affiliates=["Delta"])
    assert "Delta Leads" in str(caught.value) and "Ion Affiliates" in str(caught.value)


def test_one_filter_value_that_matches_nothing_among_others_is_a_warning():
    with pytest.warns(UnmatchedFilterWarning, match=r"'Solar'.*Solar Web Leads"):
        calls = ca.load_dialer_results("sample", campaigns=["10452", "Solar"])
    assert calls["campaign_id"].unique().to_list() == ["10452"]
    with pytest.warns(UnmatchedFilterWarning, match="'Deltaa'"):
        traffic = ca.load_leadflow_history("sample", affiliates=["Delta Leads", "Deltaa"])
    assert traffic["affiliate"].unique().to_list() == ["Delta Leads"]


def test_a_filter_on_an_empty_window_is_no_data_not_a_filter_error():
    calls = ca.load_dialer_results("sample", "2030-01-01", "2030-01-02", campaigns=["Solar"])
    assert calls.height == 0


def test_a_file_without_dates_is_read_over_its_own_date_range(tmp_path):
    paths = ca.write_sample_files(tmp_path, n_dialer=400, n_leadflow=300)
    assert ca.load_dialer_results(str(paths["dialer_csv"])).height == 400
    assert ca.load_leadflow_history(str(paths["leadflow_json"])).height == 300
    loaded = load_window("dialer", str(paths["dialer_parquet"]))
    assert (loaded.start, loaded.end) == (date(2024, 10, 28), date(2024, 11, 11))
    assert loaded.label == "28 October – 10 November 2024" and loaded.frame.height == 400
    only_start = load_window("leadflow", str(paths["leadflow_json"]), start="2024-11-04")
    assert (only_start.start, only_start.end) == (date(2024, 11, 4), date(2024, 11, 11))


def test_a_file_with_no_rows_needs_dates(tmp_path):
    from tests.builders import dialer_csv

    path = tmp_path / "empty.csv"
    path.write_bytes(dialer_csv([]))
    with pytest.raises(ValueError, match=r"no call_start.*--start and --end"):
        ca.load_dialer_results(str(path))
    assert ca.load_dialer_results(str(path), "2024-11-01", "2024-11-02").height == 0


def test_a_start_after_the_file_ends_is_a_clear_error(tmp_path):
    paths = ca.write_sample_files(tmp_path, n_dialer=50, n_leadflow=50)
    with pytest.raises(
        ValueError,
        match=r"start \(2024-12-01\) is after the last day in .*dialer_results.csv, which covers ",
    ):
        ca.load_dialer_results(str(paths["dialer_csv"]), start="2024-12-01")


def test_api_and_sample_defaults_are_unchanged():
    assert load_window("dialer", "sample").label == "28 October – 10 November 2024"


@pytest.mark.parametrize(
    ("start", "end", "label"),
    [
        ("2024-11-01", "2024-11-08", "1–7 November 2024"),
        (date(2024, 11, 1), date(2024, 11, 2), "1 November 2024"),
        ("2024-10-28", "2024-11-11", "28 October – 10 November 2024"),
        ("2024-12-30", "2025-01-03", "30 December 2024 – 2 January 2025"),
        ("2024-11-01", "2024-12-01", "1–30 November 2024"),
    ],
)
def test_window_label_reads_the_exclusive_end_as_the_last_day(start, end, label):
    assert window_label(start, end) == label


def test_filter_messages_read_as_sentences():
    with pytest.raises(FilterError) as caught:
        ca.load_dialer_results("sample", campaigns=["Solar"])
    message = str(caught.value)
    assert message.startswith("no rows match: campaigns 'Solar' not found in ")
    assert "; available: " in message
    with pytest.raises(
        FilterError, match=r"^no rows match: affiliates 'Delta', 'Ion' not found in "
    ):
        ca.load_leadflow_history("sample", affiliates=["Delta", "Ion"])
    with pytest.warns(UnmatchedFilterWarning) as caught_warning:
        ca.load_dialer_results("sample", campaigns=["10452", "Solar"])
    assert str(caught_warning[0].message).startswith("campaigns 'Solar' not found in ")

"""read_dialer_results / scan_dialer_results on hand-built CSV files."""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import polars as pl
import pytest

import callanalytics as ca
from callanalytics.errors import BlankRowsWarning
from callanalytics.readers import ScanReport
from callanalytics.schema import DIALER_RESULTS
from tests.builders import dialer_csv


def test_types_follow_the_schema_table(one_call):
    frame = ca.read_dialer_results(dialer_csv([one_call]))
    assert frame.schema == DIALER_RESULTS.polars_schema("America/New_York")
    row = frame.row(0, named=True)
    assert row["duration"] == timedelta(seconds=261)
    assert row["on_hold"] == timedelta(seconds=12)
    assert row["speed_to_lead_first_pass"] == timedelta(minutes=5, seconds=30)
    assert row["call_start"] == datetime(
        2024, 11, 3, 15, 30, 45, tzinfo=ZoneInfo("America/New_York")
    )
    assert (row["zip"], row["agent_id"], row["campaign_id"]) == ("02134", "007", "0042")
    assert row["lead_phone"] == "+1 (212) 555-0100"
    assert row["callID"] == "202411031530450000001234567890"
    assert row["pass_disposition"] == "ANSWER"
    assert row["lead_passes"] == 1


def test_quoted_empty_fields_are_null_and_odd_text_survives(one_call):
    tricky = one_call | {
        "agent_notes": 'Said "call me", then\nhung up',
        "address1": "1 Main St, Apt 2",
    }
    frame = ca.read_dialer_results(dialer_csv([tricky], bom=True))
    row = frame.row(0, named=True)
    assert row["agent_notes"] == 'Said "call me", then\nhung up'
    assert row["address1"] == "1 Main St, Apt 2"
    assert (
        row["first_name"] is None and row["int_cost"] is None and row["transfer_duration"] is None
    )
    assert frame.columns[0] == "callID"  # the BOM is not part of the first name


def test_path_bytes_and_file_objects_give_the_same_frame(tmp_path, one_call):
    data = dialer_csv([one_call, one_call | {"ID": "000124"}])
    path = tmp_path / "export.csv"
    path.write_bytes(data)
    from_path = ca.read_dialer_results(path)
    assert from_path.equals(ca.read_dialer_results(data))
    assert from_path.equals(ca.read_dialer_results(io.BytesIO(data)))
    assert from_path.equals(ca.read_dialer_results(str(path)))
    assert from_path.equals(ca.scan_dialer_results(path).collect())


def test_timezone_argument_and_legacy_aliases(one_call):
    eastern = ca.read_dialer_results(dialer_csv([one_call]), timezone="US/Eastern")
    assert eastern.schema["call_start"] == pl.Datetime("us", "America/New_York")
    pacific = ca.read_dialer_results(dialer_csv([one_call]), timezone="America/Los_Angeles")
    assert pacific["call_start"][0].utcoffset() == timedelta(hours=-8)
    with pytest.raises(ValueError, match="unknown time zone 'Mars/Olympus'"):
        ca.read_dialer_results(dialer_csv([one_call]), timezone="Mars/Olympus")


def test_missing_documented_column_is_named(one_call):
    columns = [c for c in DIALER_RESULTS.names if c not in ("duration", "call_start")]
    with pytest.raises(
        ca.SchemaError, match=r"missing 2 documented column.*call_start, duration"
    ) as info:
        ca.read_dialer_results(dialer_csv([one_call], columns=columns))
    assert info.value.missing == ["call_start", "duration"]


def test_optional_groups_left_out_by_the_api_come_back_as_typed_nulls(one_call):
    columns = [c.name for c in DIALER_RESULTS.columns if c.group is None]
    frame = ca.read_dialer_results(dialer_csv([one_call], columns=columns))
    assert frame.columns == DIALER_RESULTS.names
    assert frame.schema["speed_to_lead_first_pass"] == pl.Duration("ms")
    assert frame["transfer_duration"].null_count() == 1
    assert frame["aux_data1"].null_count() == 1


def test_unknown_columns_are_kept_as_strings_with_a_warning(one_call):
    columns = [*DIALER_RESULTS.names, "new_field"]
    with pytest.warns(ca.UnknownColumnsWarning, match="new_field"):
        frame = ca.read_dialer_results(
            dialer_csv([one_call | {"new_field": "007"}], columns=columns)
        )
    assert frame.columns[-1] == "new_field"
    assert frame["new_field"].to_list() == ["007"]


def test_bad_values_raise_naming_column_rows_and_values(one_call):
    rows = [one_call] * 8
    rows = [
        r | {"duration": v}
        for r, v in zip(rows, ["1", "x1", "2", "x2", "x3", "x4", "x5", "x6"], strict=True)
    ]
    with pytest.raises(ca.SchemaError) as info:
        ca.read_dialer_results(dialer_csv(rows))
    error = info.value
    assert error.column == "duration"
    assert error.rows == [2, 4, 5, 6, 7]
    assert error.values == ["x1", "x2", "x3", "x4", "x5"]
    assert "6 value(s)" in str(error) and "<bytes>" in str(error) and "strict=False" in str(error)


def test_lenient_reading_nulls_bad_values_and_counts_them(one_call):
    rows = [
        one_call | {"int_cost": "12.50"},
        one_call | {"int_cost": "twelve"},
        one_call | {"pass_disposition": "HUNG UP"},
    ]
    with pytest.warns(ca.CoercedToNullWarning) as record:
        frame = ca.read_dialer_results(dialer_csv(rows), strict=False)
    messages = sorted(str(w.message) for w in record)
    assert len(messages) == 2
    assert "'int_cost' had 1 value(s)" in messages[0]
    assert "'pass_disposition' had 1 value(s)" in messages[1]
    assert frame["int_cost"].to_list() == [Decimal("12.5000"), None, None]
    assert frame.height == 3  # nothing dropped


def test_dst_gap_is_null_and_counted_even_when_strict(one_call):
    rows = [one_call | {"call_start": "2024-03-10 02:30:00"}, one_call]
    with pytest.warns(ca.NonexistentLocalTimeWarning, match="1 local time"):
        frame = ca.read_dialer_results(dialer_csv(rows))
    assert frame["call_start"].null_count() == 1


def test_header_only_is_an_empty_typed_report():
    frame = ca.read_dialer_results(dialer_csv([]))
    assert frame.height == 0
    assert frame.schema == DIALER_RESULTS.polars_schema()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "is empty"),
        (b"  \n", "is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"\xff\xfe\xfa garbage \xc3\x28 more", "not UTF-8"),
        (b"<!DOCTYPE html><html><body>Service Unavailable</body></html>", "HTML page"),
        (b"<html><body>oops</body></html>", "HTML page"),
    ],
)
def test_wrong_files_get_clear_errors(data, message):
    with pytest.raises(ca.SchemaError, match=message):
        ca.read_dialer_results(data)


def test_wrong_delimiter_is_explained(one_call):
    data = dialer_csv([one_call]).replace(b'","', b'";"')
    with pytest.raises(ca.SchemaError, match="separated by ';'"):
        ca.read_dialer_results(data)


def test_truncated_download_is_detected(one_call):
    data = dialer_csv([one_call, one_call])
    with pytest.raises(ca.SchemaError, match="truncated"):
        ca.read_dialer_results(data[:-40])


def test_truncated_file_on_disk_is_detected(tmp_path, one_call):
    path = tmp_path / "cut.csv"
    path.write_bytes(dialer_csv([one_call])[:-7])
    with pytest.raises(ca.SchemaError, match=r"cut\.csv.*truncated"):
        ca.read_dialer_results(path)
    with pytest.raises(ca.SchemaError, match="truncated"):
        ca.scan_dialer_results(path)


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"nope\.csv"):
        ca.read_dialer_results(tmp_path / "nope.csv")


def test_scan_checks_values_as_the_query_runs(tmp_path, one_call):
    path = tmp_path / "bad.csv"
    path.write_bytes(dialer_csv([one_call, one_call | {"duration": "soon"}]))
    lazy = ca.scan_dialer_results(path)
    assert isinstance(lazy, pl.LazyFrame)
    assert lazy.collect_schema() == DIALER_RESULTS.polars_schema()
    with pytest.raises(ca.SchemaError, match=r"'duration'.*row 2: 'soon'"):
        lazy.collect()
    with pytest.warns(ca.CoercedToNullWarning):
        frame = ca.scan_dialer_results(path, strict=False).collect()
    assert frame["duration"].to_list() == [timedelta(seconds=261), None]


def test_scan_sinks_to_parquet_with_the_same_dtypes(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(ca.sample_dialer_results(n=300, raw=True))
    ca.scan_dialer_results(path).sink_parquet(tmp_path / "out.parquet")
    assert pl.read_parquet(tmp_path / "out.parquet").equals(ca.read_dialer_results(path))


def test_unusual_but_valid_spellings_read_the_same_eagerly_and_lazily(tmp_path, one_call):
    odd = one_call | {
        "pass_disposition": " answer ",
        "call_start": "2024-11-03T15:30:45.500",
        "lead_passes": " 2 ",
        "speed_to_lead_first_pass": "1 day, 00:00:01.5",
        "agent_wait_time": "12.5",
        "int_cost": "$1,234.5000",
        "duration": " 1.5 ",
    }
    path = tmp_path / "odd.csv"
    path.write_bytes(dialer_csv([odd, one_call]))
    eager = ca.read_dialer_results(path)
    assert eager.equals(ca.scan_dialer_results(path).collect())
    row = eager.row(0, named=True)
    assert row["pass_disposition"] == "ANSWER" and row["lead_passes"] == 2
    assert row["speed_to_lead_first_pass"] == timedelta(days=1, seconds=1.5)
    assert row["agent_wait_time"] == timedelta(seconds=12.5)
    assert row["int_cost"] == Decimal("1234.5000")
    assert row["duration"] == timedelta(seconds=90)
    assert row["call_start"].microsecond == 500_000


def test_scan_counts_dst_gap_times_in_any_accepted_form(tmp_path, one_call):
    path = tmp_path / "gap.csv"
    path.write_bytes(dialer_csv([one_call | {"call_start": "2024-03-10T02:30:00"}, one_call]))
    with pytest.warns(ca.NonexistentLocalTimeWarning, match="1 local time"):
        frame = ca.scan_dialer_results(path).collect()
    assert frame["call_start"].null_count() == 1


# --- Issue 9.13: a download cut right after a closing quote ---------------------------------


def _cuts_after_closing_quotes(data: bytes) -> list[bytes]:
    """Every cut of the last record right after one of its closing quotes (but the last)."""
    body = data.rstrip(b"\r\n")
    start = body.rfind(b"\r\n") + 2  # records end in CRLF; a bare LF is inside a field
    return [body[: i + 1] for i in range(start, len(body) - 1) if body[i : i + 2] == b'",']


def test_a_download_cut_after_a_closing_quote_is_truncated(tmp_path, one_call):
    data = dialer_csv([one_call, one_call | {"agent_notes": 'said "ok",\nthen "bye"'}])
    cuts = _cuts_after_closing_quotes(data)
    assert len(cuts) >= len(DIALER_RESULTS.names) - 1  # one more inside the notes
    for cut in cuts:
        where = r"<bytes>.*(record starting on line 3|quoted field on line 3).*truncated"
        with pytest.raises(ca.UnreadableFileError, match=where) as info:
            ca.read_dialer_results(cut)
        assert isinstance(info.value, ca.SchemaError)
    path = tmp_path / "cut.csv"
    path.write_bytes(cuts[10])
    short = r"cut\.csv.*record starting on line 3 has 11 of the 63"
    with pytest.raises(ca.UnreadableFileError, match=short):
        ca.read_dialer_results(path)
    with pytest.raises(ca.UnreadableFileError, match=short):
        ca.scan_dialer_results(path)


def test_a_complete_file_with_quotes_and_commas_in_the_last_record_reads(tmp_path, one_call):
    last = one_call | {"agent_notes": '"", ","\n"', "address1": '","', "aux_data5": '"'}
    data = dialer_csv([one_call, last], bom=True)
    frame = ca.read_dialer_results(data)
    assert frame["agent_notes"][1] == '"", ","\n"' and frame["aux_data5"][1] == '"'
    path = tmp_path / "ok.csv"
    path.write_bytes(data)
    assert ca.scan_dialer_results(path).collect().equals(frame)


def test_a_last_record_longer_than_the_tail_window_is_still_checked(tmp_path, one_call):
    notes = 'line "one", ' * 20_000  # about 240 KB in one field
    data = dialer_csv([one_call, one_call | {"agent_notes": notes}])
    assert ca.read_dialer_results(data)["agent_notes"][1] == notes
    path = tmp_path / "long.csv"
    path.write_bytes(_cuts_after_closing_quotes(data)[-1])
    with pytest.raises(ca.UnreadableFileError, match="has 62 of the 63"):
        ca.read_dialer_results(path)


# --- Issue 9.14: blank lines are not records -------------------------------------------------


def test_blank_lines_are_dropped_and_counted_once(tmp_path, one_call):
    data = dialer_csv([one_call, one_call | {"ID": "000124"}])
    header, first, second = data.rstrip(b"\r\n").split(b"\r\n")
    empty_fields = b",".join([b'""'] * len(DIALER_RESULTS.names))
    blanky = b"\r\n".join([header, b"", first, empty_fields, b"", second, b"", b""])
    with pytest.warns(BlankRowsWarning, match=r"4 blank row\(s\)") as record:
        frame = ca.read_dialer_results(blanky)
    assert len(record) == 1
    assert frame.equals(ca.read_dialer_results(data))
    path = tmp_path / "blank.csv"
    path.write_bytes(blanky)
    with pytest.warns(BlankRowsWarning, match=r"4 blank row\(s\)") as record:
        scanned = ca.scan_dialer_results(path).collect()
    assert len(record) == 1
    assert scanned.equals(frame)


def test_rows_after_blank_lines_keep_their_record_numbers_in_errors(one_call):
    data = dialer_csv([one_call, one_call | {"duration": "soon"}])
    header, first, second = data.rstrip(b"\r\n").split(b"\r\n")
    blanky = b"\r\n".join([header, first, b"", second]) + b"\r\n"
    with pytest.warns(BlankRowsWarning), pytest.raises(ca.SchemaError) as info:
        ca.read_dialer_results(blanky)
    assert info.value.rows == [3] and info.value.values == ["soon"]
    with pytest.warns(BlankRowsWarning), pytest.warns(ca.CoercedToNullWarning):
        frame = ca.read_dialer_results(blanky, strict=False)
    assert frame["duration"].to_list() == [timedelta(seconds=261), None]


# --- Issue 9.17: a scan warns once per column, and its report has the totals ----------------


def test_a_scan_warns_once_per_column_and_reports_the_totals(tmp_path):
    raw = pl.read_csv(ca.sample_dialer_results(n=20_000, raw=True), infer_schema=False)
    every_100th = pl.int_range(pl.len()) % 100 == 7
    raw = raw.with_columns(
        pl.when(every_100th).then(pl.lit("soon")).otherwise(pl.col("duration")).alias("duration"),
        pl.when(every_100th).then(pl.lit("x")).otherwise(pl.col("on_hold")).alias("on_hold"),
    )
    path = tmp_path / "bad.csv"
    raw.write_csv(path, quote_style="always")
    report = ScanReport()
    with pytest.warns(ca.CoercedToNullWarning) as record:
        lazy = ca.scan_dialer_results(path, strict=False, report=report)
        lazy.sink_parquet(tmp_path / "out.parquet")
    messages = sorted(str(w.message) for w in record)
    assert len(messages) == 2, messages
    assert "'duration'" in messages[0] and "'on_hold'" in messages[1]
    assert all("a count so far" in m for m in messages)
    assert report.coerced == {"duration": 200, "on_hold": 200}
    assert pl.read_parquet(tmp_path / "out.parquet")["duration"].null_count() == 200


# --- Issues 9.15 and 9.16: overflow and signs are bad values, whatever the path -------------


def test_out_of_range_durations_are_bad_values(one_call):
    rows = [
        one_call,
        one_call | {"duration": "1e20", "agent_wait_time": "9999999999999999"},
    ]
    with pytest.raises(ca.SchemaError) as info:
        ca.read_dialer_results(dialer_csv(rows))
    assert info.value.column == "duration" and info.value.rows == [2]
    assert info.value.values == ["1e20"]
    assert "'agent_wait_time'" in str(info.value) and "'9999999999999999'" in str(info.value)
    with pytest.warns(ca.CoercedToNullWarning) as record:
        frame = ca.read_dialer_results(dialer_csv(rows), strict=False)
    assert len(record) == 2
    assert frame["duration"].to_list() == [timedelta(seconds=261), None]
    assert frame["agent_wait_time"].to_list() == [None, None]


@pytest.mark.parametrize("text", ["-0:00:05", "+1:00:00"])
def test_signed_clock_text_is_refused_alone_or_in_company(tmp_path, one_call, text):
    alone = dialer_csv([one_call | {"agent_wait_time": text}])
    mixed = dialer_csv([one_call | {"agent_wait_time": text}, one_call | {"agent_wait_time": "x"}])
    for data in (alone, mixed):
        with pytest.raises(ca.SchemaError, match=rf"'agent_wait_time'.*row 1: '\{text}'"):
            ca.read_dialer_results(data)
    path = tmp_path / "signed.csv"
    path.write_bytes(alone)
    with pytest.raises(ca.SchemaError, match=rf"'agent_wait_time'.*row 1: '\{text}'"):
        ca.scan_dialer_results(path).collect()


# --- Issue 13: eager reads report what they counted, like scans -----------------------------


def test_an_eager_read_fills_its_report_with_what_it_counted(one_call):
    rows = [
        one_call,
        one_call | {"duration": "soon", "on_hold": "x"},
        one_call | {"call_start": "2024-03-10 02:30:00"},  # spring-forward gap in New York
        one_call | {"call_start": "2024-11-03 01:30:00"},  # the repeated fall-back hour
        one_call | {"call_start": "2024-11-03T01:45:00"},  # the same, in a slower form
        one_call | {"call_start": "2024-11-03T01:45:00-05:00"},  # an offset: not ambiguous
    ]
    data = dialer_csv(rows)
    header, *records = data.rstrip(b"\r\n").split(b"\r\n")
    blanky = b"\r\n".join([header, records[0], b"", *records[1:]]) + b"\r\n"
    report = ScanReport()
    with (
        pytest.warns(BlankRowsWarning),
        pytest.warns(ca.CoercedToNullWarning),
        pytest.warns(ca.NonexistentLocalTimeWarning),
    ):
        frame = ca.read_dialer_results(blanky, strict=False, report=report)
    assert frame.height == 6
    assert report.coerced == {"duration": 1, "on_hold": 1}
    assert report.gaps == {"call_start": 1}
    assert report.repeated == {"call_start": 2}
    assert report.blank_rows == 1


def test_a_read_without_findings_leaves_the_report_empty_and_a_scan_counts_repeats(
    tmp_path, one_call
):
    report = ScanReport()
    ca.read_dialer_results(dialer_csv([one_call]), report=report)
    assert report == ScanReport()
    path = tmp_path / "export.csv"
    path.write_bytes(dialer_csv([one_call, one_call | {"call_start": "2024-11-03 01:10:00"}]))
    scanned = ScanReport()
    ca.scan_dialer_results(path, report=scanned).collect()
    assert scanned.repeated == {"call_start": 1}
    eager = ScanReport()
    ca.read_dialer_results(path, report=eager)
    assert eager == scanned


def test_a_strict_read_that_fails_adds_nothing_to_its_report(one_call):
    report = ScanReport()
    with pytest.raises(ca.SchemaError):
        ca.read_dialer_results(dialer_csv([one_call | {"duration": "soon"}]), report=report)
    assert report == ScanReport()


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("(212) 555-0100", "…0100"),
        ("+1 (212) 555-0100", "…0100"),
        ("jane.doe@example.com", "<email>"),
        ("Jane Doe", "<name>"),
    ],
)
def test_bad_values_that_look_like_personal_data_are_masked_in_any_column(value, shown):
    """QA: a shifted column put a phone number, an email or a name into `lead_passes`, and
    the error printed it whole."""
    from tests.builders import dialer_csv

    data = dialer_csv([{"callID": "1", "lead_passes": value}])
    with pytest.raises(ca.SchemaError) as error:
        ca.read_dialer_results(data)
    message = str(error.value)
    assert "lead_passes" in message and "row 1" in message and shown in message
    assert value not in message
    assert value not in repr(error.value.values)

"""read_leadflow_history on JSON in its several shapes, and on CSV exports."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

import polars as pl
import pytest

import callanalytics as ca
from callanalytics.errors import BlankRowsWarning
from callanalytics.readers import ScanReport
from callanalytics.schema import LEADFLOW_HISTORY
from tests.builders import leadflow_json

RECORD = {
    "call_date": "2024-11-03 01:30:00",
    "affiliate": "BlueSky Media",
    "caller_id": "3125550100",
    "lead_status": "Connected",
    "entered_zip": "02134",
    "offer_qualified": "Y",
    "offer_price": "45.00",
    "affiliate_qualified": "y",
    "affiliate_price": "$18.00",
    "margin": "27.00",
    "talk_minutes": "3.1",
    "talk_seconds": "186",
    "total_minutes": "3.5",
    "total_seconds": "210",
    "call_duration": "4",
    "sid": "000123",
}


@pytest.mark.parametrize("wrap", [None, "response", "data", "records"])
def test_every_response_shape_gives_the_typed_frame(wrap):
    frame = ca.read_leadflow_history(leadflow_json([RECORD], wrap=wrap))
    assert frame.schema == LEADFLOW_HISTORY.polars_schema()
    row = frame.row(0, named=True)
    assert row["offer_price"] == Decimal("45.00") and row["affiliate_price"] == Decimal("18.00")
    assert row["talk_minutes"] == timedelta(seconds=186)
    assert row["call_duration"] == timedelta(minutes=4)
    assert row["offer_qualified"] is True and row["affiliate_qualified"] is True
    assert row["entered_zip"] == "02134" and row["sid"] == "000123"
    assert row["call_date"].utcoffset() == timedelta(hours=-4)  # first 01:30 of fall-back


def test_strings_and_numbers_mixed_across_records_give_the_same_values():
    as_numbers = RECORD | {
        "offer_price": 12.5,
        "talk_minutes": 3.1,
        "talk_seconds": 186,
        "margin": -15,
        "affiliate_price": 27.5,
    }
    as_strings = RECORD | {
        "offer_price": "12.50",
        "talk_minutes": "3.1",
        "talk_seconds": "186",
        "margin": "(15.00)",
        "affiliate_price": "27.50",
    }
    frame = ca.read_leadflow_history(leadflow_json([as_numbers, as_strings], wrap="response"))
    assert frame.row(0) == frame.row(1)
    assert frame["margin"][0] == Decimal("-15.00")


def test_empty_response_is_an_empty_typed_frame():
    for body in (b"[]", b'{"response": []}'):
        frame = ca.read_leadflow_history(body)
        assert frame.height == 0 and frame.schema == LEADFLOW_HISTORY.polars_schema()


def test_csv_export_with_the_same_keys(one_call):
    frame = (
        pl.DataFrame([RECORD])
        .with_columns(
            [pl.lit(None, pl.String).alias(c) for c in LEADFLOW_HISTORY.names if c not in RECORD]
        )
        .select(LEADFLOW_HISTORY.names)
    )
    data = frame.write_csv().encode()
    from_csv = ca.read_leadflow_history(data)
    assert from_csv.equals(ca.read_leadflow_history(leadflow_json([RECORD])))


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'[{"call_date": "2024-01-01 10:00:00", ', "not valid JSON"),
        (b'{"error": "rate limited"}', "without a list of records under response, data, records"),
        (b'{"response": "nope"}', "not a list of records"),
        (b"<html><body>502 Bad Gateway</body></html>", "HTML page"),
    ],
)
def test_broken_responses_get_clear_errors(body, message):
    with pytest.raises(ca.SchemaError, match=message):
        ca.read_leadflow_history(body)


def test_schema_drift_missing_and_added_keys():
    drifted = {k: v for k, v in RECORD.items() if k != "margin"}
    body = leadflow_json([drifted]).replace(b'"margin": null, ', b"")
    with pytest.raises(ca.SchemaError, match=r"missing 1 documented column.*margin"):
        ca.read_leadflow_history(body)
    with pytest.warns(ca.UnknownColumnsWarning, match="buyer_id"):
        frame = ca.read_leadflow_history(leadflow_json([RECORD | {"buyer_id": 77}]))
    assert frame["buyer_id"].to_list() == ["77"]


def test_bad_values_name_the_record_numbers():
    records = [RECORD, RECORD | {"offer_qualified": "maybe"}, RECORD | {"lead_status": "Voicemail"}]
    with pytest.raises(ca.SchemaError) as info:
        ca.read_leadflow_history(leadflow_json(records))
    text = str(info.value)
    assert "'offer_qualified'" in text and "row 2: 'maybe'" in text
    assert "'lead_status'" in text and "row 3: 'Voicemail'" in text


def test_tricky_json_layouts_read_the_same():
    tricky = RECORD | {"affiliate": 'Acme "},{" Leads, [Inc]', "set_name": "a}\\n{b"}
    compact = leadflow_json([tricky, RECORD], wrap="response")
    pretty = json.dumps(json.loads(compact), indent=2).encode()
    trailing = json.dumps(json.loads(compact) | {"page": 1, "total_pages": 1}).encode()
    bare = json.dumps(json.loads(compact)["response"], indent=1).encode()
    frames = [ca.read_leadflow_history(body) for body in (compact, pretty, trailing, bare)]
    for frame in frames[1:]:
        assert frame.equals(frames[0])
    assert frames[0]["affiliate"][0] == 'Acme "},{" Leads, [Inc]'
    assert frames[0]["set_name"][0] == "a}\\n{b"


def test_nested_values_are_refused():
    body = leadflow_json([RECORD | {"affiliate": {"id": 7, "name": "BlueSky"}}])
    with pytest.raises(ca.SchemaError, match="key 'affiliate' holds nested JSON"):
        ca.read_leadflow_history(body)


def test_page_keys_are_returned_beside_the_records():
    from callanalytics.readers import read_leadflow_page

    body = json.dumps(
        json.loads(leadflow_json([RECORD], wrap="data"))
        | {"page": 2, "total_pages": 5, "links": {"next": "https://example.test/p3"}}
    ).encode()
    frame, meta = read_leadflow_page(body)
    assert frame.height == 1
    assert meta == {"page": 2, "total_pages": 5, "links": {"next": "https://example.test/p3"}}


def test_a_csv_export_cut_at_a_field_boundary_is_truncated():
    # Issue 9.13: an unquoted export cut after a separator-free field reads as a short row.
    frame = pl.DataFrame([RECORD, RECORD]).with_columns(
        [pl.lit(None, pl.String).alias(c) for c in LEADFLOW_HISTORY.names if c not in RECORD]
    )
    data = frame.select(LEADFLOW_HISTORY.names).write_csv().encode()
    cut = data[: data.rstrip(b"\n").rfind(b",")]
    with pytest.raises(ca.UnreadableFileError, match=r"line 3 has 33 of the 34 fields"):
        ca.read_leadflow_history(cut)


# --- Issue 9.19: errors say what happened, and never show a whole record --------------------


@pytest.mark.parametrize("body", [b"null", b" null\n", b'{"response": null, "page": 1}'])
def test_an_empty_null_body_is_called_empty(body):
    with pytest.raises(ca.UnreadableFileError, match=r"<bytes>.*null.*empty") as info:
        ca.read_leadflow_history(body)
    assert "missing" not in str(info.value)


@pytest.mark.parametrize("wrap", [None, "response"])
@pytest.mark.parametrize(
    ("odd", "kind"),
    [
        (7, "a number"),
        ("3125550199 Jane Doe jane@example.com", "a string"),
        (["3125550199", "Jane Doe"], "a list"),
        (True, "a boolean"),
    ],
)
def test_a_non_object_record_is_named_by_position_without_its_contents(wrap, odd, kind):
    records = [RECORD | {"caller_id": "3125550100", "affiliate": "Jane Doe"}, odd, RECORD]
    body = json.dumps(records if wrap is None else {wrap: records}).encode()
    with pytest.raises(ca.UnreadableFileError, match=rf"record 2 is {kind}, not an object"):
        ca.read_leadflow_history(body)
    try:
        ca.read_leadflow_history(body)
    except ca.UnreadableFileError as error:
        text = str(error)
    for secret in ("3125550100", "3125550199", "Jane", "jane@example.com", "5550"):
        assert secret not in text


def test_null_records_are_blank_rows_dropped_and_counted():
    full = json.loads(leadflow_json([RECORD]))[0]
    expected = ca.read_leadflow_history(leadflow_json([RECORD, RECORD]))
    for body, nulls in (
        (json.dumps([full, None, full]).encode(), 1),
        (json.dumps({"response": [None, full, None, full]}).encode(), 2),
        (json.dumps({"response": [None, None]}).encode(), 2),
    ):
        with pytest.warns(BlankRowsWarning, match=rf"{nulls} blank row\(s\)"):
            frame = ca.read_leadflow_history(body)
        assert frame.equals(expected if frame.height else expected.clear())


def _export_csv(records):
    frame = pl.DataFrame(records, schema=dict.fromkeys(LEADFLOW_HISTORY.names, pl.String))
    return frame.write_csv().encode()


def test_scan_reads_a_csv_export_and_ndjson_as_the_eager_read_does(tmp_path):
    # Issue 11: scan_leadflow_history, from the same typing plan as the eager reader.
    records = [RECORD, RECORD | {"call_date": "2024-11-04 09:00:00", "offer_price": "$1,200.50"}]
    eager = ca.read_leadflow_history(leadflow_json(records))
    csv_path, ndjson_path = tmp_path / "export.csv", tmp_path / "export.ndjson"
    csv_path.write_bytes(_export_csv(records))
    lines = (json.dumps({k: r.get(k) for k in LEADFLOW_HISTORY.names}) for r in records)
    ndjson_path.write_text("\n".join(lines) + "\n")
    for path in (csv_path, ndjson_path):
        lazy = ca.scan_leadflow_history(path)
        assert lazy.collect_schema() == LEADFLOW_HISTORY.polars_schema()
        assert lazy.collect().equals(eager), path.name


def test_scan_checks_leadflow_values_as_the_query_runs(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(_export_csv([RECORD, RECORD | {"offer_qualified": "maybe"}]))
    with pytest.raises(ca.SchemaError, match=r"'offer_qualified'.*row 2: 'maybe'"):
        ca.scan_leadflow_history(path).collect()
    report = ScanReport()
    with pytest.warns(ca.CoercedToNullWarning, match="scan_leadflow_history"):
        frame = ca.scan_leadflow_history(path, strict=False, report=report).collect()
    assert frame["offer_qualified"].to_list() == [True, None]
    assert report.coerced == {"offer_qualified": 1}


def test_a_leadflow_read_fills_its_report():
    from callanalytics.readers import ScanReport

    full = json.loads(leadflow_json([RECORD]))[0]
    bad = full | {"talk_seconds": "lots"}
    later = full | {"call_date": "2024-11-04 09:00:00"}
    body = json.dumps([full, None, bad, later]).encode()
    report = ScanReport()
    with pytest.warns(BlankRowsWarning), pytest.warns(ca.CoercedToNullWarning):
        frame = ca.read_leadflow_history(body, strict=False, report=report)
    assert frame.height == 3
    assert report.coerced == {"talk_seconds": 1}
    assert report.repeated == {"call_date": 2}  # 01:30 on 3 November 2024 happened twice
    assert report.gaps == {} and report.blank_rows == 1

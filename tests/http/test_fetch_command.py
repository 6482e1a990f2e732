"""`callanalytics fetch` and `callanalytics report --source api` against a local server."""

from __future__ import annotations

import polars as pl
from werkzeug import Request, Response

from callanalytics.cli import main
from callanalytics.report import render_report
from tests.builders import leadflow_json
from tests.http.conftest import CANARY

PATH = "/report/v1/leadflow/v2/history"


def records(request: Request) -> Response:
    day = request.args["start_date"][:10]
    rows = [
        {
            "call_date": f"{day} 10:00:00",
            "sid": f"s{day}",
            "affiliate": "BlueSky",
            "lead_status": "Connected",
            "offer_qualified": "Y",
            "offer_price": "40.00",
            "affiliate_qualified": "Y",
            "affiliate_price": "15.00",
            "margin": "25.00",
            "caller_id": "3125550123",
            "lf_state": "IL",
            "repeat_affiliate_caller": "N",
            "affiliate_cap": "N",
            "contest_qualification": "N",
        }
    ]
    return Response(leadflow_json(rows, wrap="response"), content_type="application/json")


def env(monkeypatch, httpserver, tmp_path):
    monkeypatch.setenv("DIALOGTECH_BASE_URL", httpserver.url_for(""))
    monkeypatch.setenv("DIALOGTECH_ACCESS_KEY", "access")
    monkeypatch.setenv("DIALOGTECH_SECRET_KEY", CANARY)
    monkeypatch.setenv("CALLANALYTICS_CACHE_DIR", str(tmp_path / "cache"))


def test_fetch_writes_parquet_and_csv(httpserver, monkeypatch, tmp_path, capsys):
    env(monkeypatch, httpserver, tmp_path)
    httpserver.expect_request(PATH).respond_with_handler(records)
    out = tmp_path / "traffic.parquet"
    assert (
        main(
            ["fetch", "leadflow", "--start", "2024-10-01", "--end", "2024-10-03", "--out", str(out)]
        )
        == 0
    )
    assert "1 rows written to" in capsys.readouterr().out
    frame = pl.read_parquet(out)
    assert frame["sid"].to_list() == ["s2024-10-01"]
    csv = tmp_path / "traffic.csv"
    assert (
        main(
            ["fetch", "leadflow", "--start", "2024-10-01", "--end", "2024-10-03", "--out", str(csv)]
        )
        == 0
    )
    assert "talk_seconds_s" in csv.read_text().splitlines()[0]
    assert len(httpserver.log) == 1  # the second run came from the cache


def test_fetch_reports_api_errors_without_a_traceback(httpserver, monkeypatch, tmp_path, capsys):
    env(monkeypatch, httpserver, tmp_path)
    httpserver.expect_request(PATH).respond_with_data("", status=401)
    code = main(
        [
            "fetch",
            "leadflow",
            "--start",
            "2024-10-01",
            "--end",
            "2024-10-02",
            "--out",
            str(tmp_path / "x.parquet"),
        ]
    )
    err = capsys.readouterr().err
    assert code == 1 and "401 from DialogTech" in err and CANARY not in err


def test_report_from_the_api_keeps_credentials_out_of_outputs(httpserver, monkeypatch, tmp_path):
    env(monkeypatch, httpserver, tmp_path)
    httpserver.expect_request(PATH).respond_with_handler(records)
    report = render_report(
        "affiliate-margin",
        source="api",
        start="2024-10-01",
        end="2024-10-04",
        output_dir=tmp_path / "out",
    )
    text = report.html.read_text()
    assert "Margin $25.00 on revenue $40.00" in text
    for path in (tmp_path / "out").iterdir():
        content = path.read_text()
        assert CANARY not in content and "3125550123" not in content

"""fetch_leadflow_history against a real local HTTP server."""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from werkzeug import Request, Response

import callanalytics as ca
from callanalytics.schema import LEADFLOW_HISTORY
from callanalytics.sources.leadflow import LeadFlowClient, fetch_leadflow_history
from tests.builders import leadflow_json
from tests.http.conftest import CANARY

PATH = "/report/v1/leadflow/v2/history"


def client(httpserver, sleeps, retry, **kwargs) -> LeadFlowClient:
    options = dict(
        base_url=httpserver.url_for(""),
        access_key="access-1",
        secret_key=CANARY,
        api_key="rate-key",
        min_interval=0.0,
    )
    return LeadFlowClient(**(options | kwargs), retry=retry, sleep=sleeps)


def record(when: str, sid: str, **values) -> dict:
    return {
        "call_date": when,
        "sid": sid,
        "affiliate": "BlueSky",
        "lead_status": "Connected",
        "offer_price": "40.00",
        "affiliate_price": 15,
        "margin": "25.00",
        "offer_qualified": "Y",
        "affiliate_qualified": "Y",
    } | values


def window_records(request: Request) -> Response:
    """One call at noon on the window's first day, one exactly at its end (an inclusive
    end_date would return it here and again in the next window)."""
    start = datetime.fromisoformat(request.args["start_date"])
    end = datetime.fromisoformat(request.args["end_date"])
    rows = [
        record(f"{start:%Y-%m-%d} 12:00:00", f"s{start:%m%d}"),
        record(f"{end:%Y-%m-%d %H:%M:%S}", f"s{end:%m%d}"),
    ]
    return Response(leadflow_json(rows, wrap="response"), content_type="application/json")


def test_request_is_exactly_the_documented_one(httpserver, sleeps, quick_retry, cache_dir):
    httpserver.expect_request(PATH, method="GET").respond_with_handler(window_records)
    frame = fetch_leadflow_history(
        "2024-11-04",
        "2024-11-05",
        set_id=77,
        active=True,
        client=client(httpserver, sleeps, quick_retry),
    )
    ((request, _),) = httpserver.log
    assert request.headers["Authorization"] == f"access-1:{CANARY}"
    assert request.headers["x-api-key"] == "rate-key"
    assert request.args.to_dict() == {
        "start_date": "2024-11-04T00:00:00-05:00",
        "end_date": "2024-11-05T00:00:00-05:00",
        "set_id": "77",
        "active": "1",
    }
    assert frame.schema == LEADFLOW_HISTORY.polars_schema()
    assert frame["sid"].to_list() == ["s1104"]
    assert frame["affiliate_price"].to_list() == [Decimal("15.00")]


def test_long_ranges_become_non_overlapping_seven_day_windows(
    httpserver, sleeps, quick_retry, cache_dir
):
    httpserver.expect_request(PATH).respond_with_handler(window_records)
    frame = fetch_leadflow_history(
        "2024-10-01", "2024-10-16", client=client(httpserver, sleeps, quick_retry)
    )
    windows = [(r.args["start_date"], r.args["end_date"]) for r, _ in httpserver.log]
    assert windows == [
        ("2024-10-01T00:00:00-04:00", "2024-10-08T00:00:00-04:00"),
        ("2024-10-08T00:00:00-04:00", "2024-10-15T00:00:00-04:00"),
        ("2024-10-15T00:00:00-04:00", "2024-10-16T00:00:00-04:00"),
    ]
    # each window returned its own noon call plus the boundary call of the next one
    assert sorted(frame["sid"].to_list()) == ["s1001", "s1008", "s1015"]
    assert frame["sid"].is_duplicated().sum() == 0


def test_cache_hit_makes_no_request(httpserver, sleeps, quick_retry, cache_dir):
    httpserver.expect_request(PATH).respond_with_handler(window_records)
    api = client(httpserver, sleeps, quick_retry)
    first = fetch_leadflow_history("2024-10-01", "2024-10-09", client=api)
    assert len(httpserver.log) == 2
    again = fetch_leadflow_history("2024-10-01", "2024-10-09", client=api)
    assert len(httpserver.log) == 2 and again.equals(first)
    # a longer range fetches only the missing days
    fetch_leadflow_history("2024-10-01", "2024-10-11", client=api)
    assert [r.args["start_date"][:10] for r, _ in httpserver.log][-1] == "2024-10-09"


def test_sid_wins_over_dates_and_is_not_cached(httpserver, sleeps, quick_retry, cache_dir):
    httpserver.expect_request(PATH).respond_with_data(
        leadflow_json([record("2024-10-01 09:00:00", "000123")]), content_type="application/json"
    )
    frame = fetch_leadflow_history(
        "2024-10-01", "2024-10-02", sid="000123", client=client(httpserver, sleeps, quick_retry)
    )
    assert httpserver.log[0][0].args.to_dict() == {"sid": "000123"}
    assert frame["sid"].to_list() == ["000123"]
    assert not cache_dir.exists() or not list(cache_dir.rglob("*.parquet"))


def test_follows_numbered_pages(httpserver, sleeps, quick_retry, cache_dir):
    def pages(request: Request) -> Response:
        page = int(request.args.get("page", 1))
        body = {
            "response": [record("2024-10-01 10:00:00", f"p{page}")],
            "page": page,
            "total_pages": 3,
        }
        full = json.loads(leadflow_json(body["response"], wrap="response"))
        return Response(
            json.dumps(full | {"page": page, "total_pages": 3}), content_type="application/json"
        )

    httpserver.expect_request(PATH).respond_with_handler(pages)
    frame = fetch_leadflow_history(
        "2024-10-01", "2024-10-02", client=client(httpserver, sleeps, quick_retry)
    )
    assert [r.args.get("page") for r, _ in httpserver.log] == [None, "2", "3"]
    assert frame["sid"].to_list() == ["p1", "p2", "p3"]


def test_follows_next_links(httpserver, sleeps, quick_retry, cache_dir):
    second = httpserver.url_for("/page-2")
    first_body = json.loads(leadflow_json([record("2024-10-01 10:00:00", "a")], wrap="data"))
    httpserver.expect_request(PATH).respond_with_json(first_body | {"links": {"next": second}})
    httpserver.expect_request("/page-2").respond_with_data(
        leadflow_json([record("2024-10-01 11:00:00", "b")], wrap="data"),
        content_type="application/json",
    )
    frame = fetch_leadflow_history(
        "2024-10-01", "2024-10-02", client=client(httpserver, sleeps, quick_retry)
    )
    assert frame["sid"].to_list() == ["a", "b"]
    assert httpserver.log[1][0].headers["Authorization"] == f"access-1:{CANARY}"


def test_requests_are_spaced_for_the_rate_limit(httpserver, sleeps, quick_retry, cache_dir):
    httpserver.expect_request(PATH).respond_with_handler(window_records)
    ticks = iter(float(t) for t in range(100))
    api = client(httpserver, sleeps, quick_retry, min_interval=0.6, clock=lambda: next(ticks) * 0.1)
    fetch_leadflow_history("2024-10-01", "2024-10-22", client=api)
    assert len(httpserver.log) == 3
    assert len(sleeps) == 2 and all(0 < s <= 0.6 for s in sleeps)


@pytest.mark.parametrize(
    ("status", "error", "message"),
    [
        (
            401,
            ca.AuthenticationError,
            "401 from DialogTech.*check DIALOGTECH_ACCESS_KEY/DIALOGTECH_SECRET_KEY",
        ),
        (403, ca.AuthenticationError, "DIALOGTECH_API_KEY"),
        (400, ca.RequestRejectedError, "7 days or less"),
        (404, ca.NotFoundError, "check DIALOGTECH_BASE_URL"),
    ],
)
def test_client_errors_are_not_retried(
    httpserver, sleeps, quick_retry, cache_dir, status, error, message
):
    httpserver.expect_request(PATH).respond_with_data("{}", status=status)
    with pytest.raises(error, match=message) as info:
        fetch_leadflow_history(
            "2024-10-01", "2024-10-02", client=client(httpserver, sleeps, quick_retry)
        )
    assert len(httpserver.log) == 1
    assert CANARY not in str(info.value) and info.value.status == status
    assert info.value.url.endswith(PATH)


def test_429_with_retry_after_then_success(httpserver, sleeps, quick_retry, cache_dir):
    answers = iter(
        [Response("", status=429, headers={"Retry-After": "12"}), Response("", status=503)]
    )
    httpserver.expect_request(PATH).respond_with_handler(
        lambda request: next(answers, None) or window_records(request)
    )
    frame = fetch_leadflow_history(
        "2024-10-01", "2024-10-02", client=client(httpserver, sleeps, quick_retry)
    )
    assert frame.height == 1 and sleeps[0] == 12.0 and len(httpserver.log) == 3


def test_429_forever_raises_rate_limited(httpserver, sleeps, quick_retry, cache_dir):
    httpserver.expect_request(PATH).respond_with_data("", status=429, headers={"Retry-After": "1"})
    with pytest.raises(ca.RateLimitedError, match="100 requests a minute"):
        fetch_leadflow_history(
            "2024-10-01", "2024-10-02", client=client(httpserver, sleeps, quick_retry)
        )
    assert len(httpserver.log) == 3


@pytest.mark.parametrize(
    ("body", "content_type", "message"),
    [
        (
            '{"response": [{"call_date": "2024-10-01 10:00:00",',
            "application/json",
            "not valid JSON",
        ),
        (
            "<html><head><title>502</title></head><body>Bad gateway</body></html>",
            "text/html",
            "HTML page",
        ),
        ('{"error": "invalid date range"}', "application/json", "without a list of records"),
        ("", "application/json", "is empty"),
    ],
)
def test_bodies_that_are_not_data_are_errors(
    httpserver, sleeps, quick_retry, cache_dir, body, content_type, message
):
    httpserver.expect_request(PATH).respond_with_data(body, content_type=content_type)
    with pytest.raises(ca.ResponseError, match=message):
        fetch_leadflow_history(
            "2024-10-01", "2024-10-02", client=client(httpserver, sleeps, quick_retry)
        )
    assert not cache_dir.exists() or not list(cache_dir.rglob("*.parquet"))


def test_truncated_body_is_an_error(raw_server, sleeps, quick_retry, cache_dir):
    body = leadflow_json([record("2024-10-01 10:00:00", "a")])
    payload = (
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
        + str(len(body) + 100).encode()
        + b"\r\nConnection: close\r\n\r\n"
        + body
    )
    api = LeadFlowClient(
        base_url=raw_server(payload),
        access_key="a",
        secret_key=CANARY,
        retry=quick_retry,
        sleep=sleeps,
        min_interval=0,
    )
    with pytest.raises((ca.ResponseError, ca.ServerError), match="DialogTech") as info:
        fetch_leadflow_history("2024-10-01", "2024-10-02", client=api)
    assert CANARY not in str(info.value)
    assert not cache_dir.exists() or not list(cache_dir.rglob("*.parquet"))


def test_empty_report_is_an_empty_typed_frame_and_is_cached(
    httpserver, sleeps, quick_retry, cache_dir
):
    httpserver.expect_request(PATH).respond_with_json({"response": []})
    api = client(httpserver, sleeps, quick_retry)
    frame = fetch_leadflow_history("2024-10-01", "2024-10-03", client=api)
    assert frame.height == 0 and frame.schema == LEADFLOW_HISTORY.polars_schema()
    fetch_leadflow_history("2024-10-01", "2024-10-03", client=api)
    assert len(httpserver.log) == 1


def test_schema_drift_and_mixed_value_types(httpserver, sleeps, quick_retry, cache_dir):
    rows = [
        record("2024-10-01 10:00:00", "a", offer_price=40, talk_minutes=3.1),
        record(
            "2024-10-01 11:00:00", "b", offer_price="40.00", talk_minutes="3.1", buyer_tier="gold"
        ),
    ]
    httpserver.expect_request(PATH).respond_with_data(
        leadflow_json(rows), content_type="application/json"
    )
    with pytest.warns(ca.UnknownColumnsWarning, match="buyer_tier"):
        frame = fetch_leadflow_history(
            "2024-10-01", "2024-10-02", client=client(httpserver, sleeps, quick_retry)
        )
    assert frame["offer_price"].to_list() == [Decimal("40.00")] * 2
    assert frame["talk_minutes"].to_list() == [timedelta(seconds=186)] * 2


def test_missing_credentials_and_bad_arguments(cache_dir):
    with pytest.raises(ca.AuthenticationError, match="DIALOGTECH_ACCESS_KEY"):
        fetch_leadflow_history("2024-10-01", "2024-10-02", client=LeadFlowClient())
    with pytest.raises(ValueError, match="needs a start date or a sid"):
        fetch_leadflow_history()


def test_credentials_from_a_dotenv_file(tmp_path, httpserver, sleeps, quick_retry, cache_dir):
    (tmp_path / ".env").write_text(
        f"DIALOGTECH_ACCESS_KEY=from-dotenv\nDIALOGTECH_SECRET_KEY={CANARY}\n"
        f"DIALOGTECH_BASE_URL={httpserver.url_for('')}\n"
    )
    httpserver.expect_request(PATH).respond_with_handler(window_records)
    api = LeadFlowClient(retry=quick_retry, sleep=sleeps, min_interval=0)
    fetch_leadflow_history("2024-10-01", "2024-10-02", client=api)
    assert httpserver.log[0][0].headers["Authorization"] == f"from-dotenv:{CANARY}"
    explicit = LeadFlowClient(
        access_key="from-argument", secret_key="x", retry=quick_retry, sleep=sleeps, min_interval=0
    )
    assert explicit.base_url == httpserver.url_for("").rstrip("/")
    assert explicit.access_key.reveal() == "from-argument"


def test_no_secret_in_errors_logs_or_cache(httpserver, sleeps, quick_retry, cache_dir, caplog):
    caplog.set_level(logging.DEBUG)
    answers = iter([Response("", status=500), Response("", status=429)])
    httpserver.expect_request(PATH).respond_with_handler(
        lambda request: next(answers, None) or window_records(request)
    )
    api = client(httpserver, sleeps, quick_retry)
    fetch_leadflow_history("2024-10-01", "2024-10-03", client=api)
    assert CANARY not in repr(api)
    for path in cache_dir.rglob("*"):
        if path.is_file():
            assert CANARY.encode() not in path.read_bytes()
    assert caplog.records and all(CANARY not in r.getMessage() for r in caplog.records)

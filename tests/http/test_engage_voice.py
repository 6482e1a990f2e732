"""fetch_dialer_results against a real local HTTP server."""

from __future__ import annotations

import json
import logging
import time
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import polars as pl
import pytest
from werkzeug import Request, Response

import callanalytics as ca
from callanalytics.schema import DIALER_RESULTS
from callanalytics.sources.engage_voice import EngageVoiceClient, fetch_dialer_results
from tests.builders import dialer_csv
from tests.http.conftest import CANARY

ACCOUNT = "4455"
PATH = f"/voice/api/v1/admin/accounts/{ACCOUNT}/reportsStreaming"
NY = ZoneInfo("America/New_York")


def client(httpserver, sleeps, retry, **kwargs) -> EngageVoiceClient:
    options = dict(base_url=httpserver.url_for("/voice/api"), account_id=ACCOUNT, token=CANARY)
    return EngageVoiceClient(**(options | kwargs), retry=retry, sleep=sleeps)


def day_csv(request: Request) -> Response:
    """Two calls at 10:00 and 23:59:59 local on the window's first day, one at its end
    instant (which an inclusive endDate would also return)."""
    criteria = request.get_json()["reportCriteria"]
    start = datetime.strptime(criteria["startDate"], "%Y-%m-%dT%H:%M:%S.%f%z").astimezone(NY)
    end = datetime.strptime(criteria["endDate"], "%Y-%m-%dT%H:%M:%S.%f%z").astimezone(NY)
    rows = [
        {
            "callID": f"{start:%Y%m%d}1",
            "call_start": f"{start:%Y-%m-%d} 10:00:00",
            "pass_disposition": "ANSWER",
            "lead_phone": "02125550100",
            "duration": "1.50",
        },
        {
            "callID": f"{start:%Y%m%d}2",
            "call_start": f"{start:%Y-%m-%d} 23:59:59",
            "pass_disposition": "NOANSWER",
        },
        {
            "callID": f"{end:%Y%m%d}0",
            "call_start": f"{end:%Y-%m-%d %H:%M:%S}",
            "pass_disposition": "BUSY",
        },
    ]
    return Response(dialer_csv(rows), content_type="text/csv")


def test_request_is_exactly_the_documented_one(httpserver, sleeps, quick_retry, cache_dir):
    httpserver.expect_request(PATH, method="POST").respond_with_handler(day_csv)
    api = client(httpserver, sleeps, quick_retry)
    frame = fetch_dialer_results(
        "2024-04-22", "2024-04-23", client=api, system_disposition="ANSWER", leads="ALL_PASSES"
    )
    ((request, _),) = httpserver.log
    assert request.headers["Authorization"] == f"Bearer {CANARY}"
    assert request.headers["Content-Type"].startswith("application/json")
    assert request.get_json() == {
        "reportType": "DIALER_RESULT_DOWNLOAD",
        "reportCriteria": {
            "criteriaType": "DIALER_RESULT_DOWNLOAD_CRITERIA",
            "startDate": "2024-04-22T00:00:00.000-0400",
            "endDate": "2024-04-23T00:00:00.000-0400",
            "includeAuxData": True,
            "includeXferData": True,
            "includeSpeedToLead": True,
            "dialedLeadsReportType": "ALL_PASSES",
            "systemDisposition": "ANSWER",
            "schedule": {"repeatOption": "ONCE", "scheduleTimezoneName": "America/New_York"},
        },
    }
    assert frame.schema == DIALER_RESULTS.polars_schema()
    assert frame["callID"].to_list() == ["202404221", "202404222"]  # boundary call excluded
    assert frame["lead_phone"][0] == "02125550100"


def test_one_request_per_local_day_across_dst(httpserver, sleeps, quick_retry, cache_dir):
    httpserver.expect_request(PATH, method="POST").respond_with_handler(day_csv)
    frame = fetch_dialer_results(
        date(2024, 11, 2), date(2024, 11, 5), client=client(httpserver, sleeps, quick_retry)
    )
    bodies = [r.get_json()["reportCriteria"] for r, _ in httpserver.log]
    assert [(b["startDate"], b["endDate"]) for b in bodies] == [
        ("2024-11-02T00:00:00.000-0400", "2024-11-03T00:00:00.000-0400"),
        ("2024-11-03T00:00:00.000-0400", "2024-11-04T00:00:00.000-0500"),
        ("2024-11-04T00:00:00.000-0500", "2024-11-05T00:00:00.000-0500"),
    ]
    assert frame.height == 6 and frame["callID"].n_unique() == 6  # no call twice
    assert frame["call_start"].dt.date().unique().sort().to_list() == [
        date(2024, 11, 2),
        date(2024, 11, 3),
        date(2024, 11, 4),
    ]


def test_second_identical_call_is_served_from_cache(httpserver, sleeps, quick_retry, cache_dir):
    httpserver.expect_request(PATH, method="POST").respond_with_handler(day_csv)
    api = client(httpserver, sleeps, quick_retry)
    first = fetch_dialer_results("2024-11-02", "2024-11-04", client=api)
    assert len(httpserver.log) == 2
    files = sorted(p.relative_to(cache_dir).as_posix() for p in cache_dir.rglob("*.parquet"))
    assert [f.split("/", 2)[0] + "/" + f.split("/")[-2] for f in files] == [
        "report=dialer_results/date=2024-11-02",
        "report=dialer_results/date=2024-11-03",
    ]
    second = fetch_dialer_results("2024-11-02", "2024-11-04", client=api)
    assert len(httpserver.log) == 2  # no new request
    assert second.equals(first)
    # different options are a different cache entry
    fetch_dialer_results("2024-11-02", "2024-11-03", client=api, system_disposition="BUSY")
    assert len(httpserver.log) == 3
    fetch_dialer_results("2024-11-02", "2024-11-03", client=api, cache=False)
    assert len(httpserver.log) == 4
    assert ca.clear_cache("dialer_results") == 3
    assert not list(cache_dir.rglob("*.parquet"))


def test_cache_is_readable_as_a_hive_dataset(httpserver, sleeps, quick_retry, cache_dir):
    httpserver.expect_request(PATH, method="POST").respond_with_handler(day_csv)
    fetch_dialer_results("2024-11-02", "2024-11-04", client=client(httpserver, sleeps, quick_retry))
    scanned = pl.scan_parquet(
        cache_dir / "report=dialer_results" / "**" / "*.parquet", hive_partitioning=True
    ).collect()
    assert scanned.height == 4 and "date" in scanned.columns


def test_unsettled_day_is_fetched_but_not_cached(httpserver, sleeps, quick_retry, cache_dir):
    httpserver.expect_request(PATH, method="POST").respond_with_handler(
        lambda request: Response(dialer_csv([]), content_type="text/csv")
    )
    api = client(httpserver, sleeps, quick_retry)
    today = datetime.now(NY).date()
    frame = fetch_dialer_results(today - timedelta(days=1), client=api)
    sent = [r.get_json()["reportCriteria"] for r, _ in httpserver.log]
    end = datetime.strptime(sent[-1]["endDate"], "%Y-%m-%dT%H:%M:%S.%f%z")
    assert datetime.now(ZoneInfo("UTC")) - end >= timedelta(minutes=14, seconds=50)
    assert frame.height == 0 and frame.schema == DIALER_RESULTS.polars_schema()
    cached_days = {p.parent.name for p in cache_dir.rglob("*.parquet")}
    assert f"date={today.isoformat()}" not in cached_days  # still filling: never cached
    requests_before = len(httpserver.log)
    fetch_dialer_results(today - timedelta(days=1), client=api)
    assert len(httpserver.log) > requests_before


def test_429_then_success_honours_retry_after(httpserver, sleeps, quick_retry, cache_dir):
    answers = iter([Response("slow down", status=429, headers={"Retry-After": "7"})])

    def handler(request):
        return next(answers, None) or day_csv(request)

    httpserver.expect_request(PATH, method="POST").respond_with_handler(handler)
    frame = fetch_dialer_results(
        "2024-04-22", "2024-04-23", client=client(httpserver, sleeps, quick_retry)
    )
    assert frame.height == 2 and len(httpserver.log) == 2 and sleeps == [7.0]


def test_503_then_success(httpserver, sleeps, quick_retry, cache_dir):
    answers = iter([Response("busy", status=503), Response("bad gateway", status=502)])

    def handler(request):
        return next(answers, None) or day_csv(request)

    httpserver.expect_request(PATH, method="POST").respond_with_handler(handler)
    frame = fetch_dialer_results(
        "2024-04-22", "2024-04-23", client=client(httpserver, sleeps, quick_retry)
    )
    assert frame.height == 2 and len(httpserver.log) == 3


def test_persistent_5xx_gives_up_after_bounded_attempts(httpserver, sleeps, quick_retry, cache_dir):
    httpserver.expect_request(PATH, method="POST").respond_with_data("down", status=500)
    with pytest.raises(ca.ServerError, match=r"500 from Engage Voice.*after 3 attempts"):
        fetch_dialer_results(
            "2024-04-22", "2024-04-23", client=client(httpserver, sleeps, quick_retry)
        )
    assert len(httpserver.log) == 3


def test_401_with_a_static_token_is_not_retried(httpserver, sleeps, quick_retry, cache_dir):
    httpserver.expect_request(PATH, method="POST").respond_with_data("nope", status=401)
    with pytest.raises(ca.AuthenticationError, match="check ENGAGE_VOICE_TOKEN") as info:
        fetch_dialer_results(
            "2024-04-22", "2024-04-23", client=client(httpserver, sleeps, quick_retry)
        )
    assert len(httpserver.log) == 1 and info.value.status == 401
    assert CANARY not in str(info.value)


def test_jwt_login_and_one_refresh_on_401(httpserver, sleeps, quick_retry, cache_dir):
    tokens = iter(["engage-token-1", "engage-token-2"])
    httpserver.expect_request("/restapi/oauth/token", method="POST").respond_with_json(
        {"access_token": "rc-access", "token_type": "bearer"}
    )
    httpserver.expect_request("/api/auth/login/rc/accesstoken", method="POST").respond_with_handler(
        lambda r: Response(
            json.dumps(
                {
                    "accessToken": next(tokens),
                    "tokenType": "Bearer",
                    "agentDetails": [{"accountId": ACCOUNT}],
                }
            ),
            content_type="application/json",
        )
    )

    def report(request):
        if request.headers["Authorization"] == "Bearer engage-token-1":
            return Response("expired", status=401)
        return day_csv(request)

    httpserver.expect_request(PATH, method="POST").respond_with_handler(report)
    api = EngageVoiceClient(
        base_url=httpserver.url_for("/voice/api"),
        rc_server_url=httpserver.url_for(""),
        rc_client_id="client-id",
        rc_client_secret=CANARY,
        rc_jwt=CANARY + "-jwt",
        retry=quick_retry,
        sleep=sleeps,
    )
    frame = fetch_dialer_results("2024-04-22", "2024-04-23", client=api)
    assert frame.height == 2 and api.account_id == ACCOUNT
    paths = [r.path for r, _ in httpserver.log]
    assert paths == [
        "/restapi/oauth/token",
        "/api/auth/login/rc/accesstoken",
        PATH,
        "/restapi/oauth/token",
        "/api/auth/login/rc/accesstoken",
        PATH,
    ]
    rc_request = httpserver.log[0][0]
    assert rc_request.form["grant_type"] == "urn:ietf:params:oauth:grant-type:jwt-bearer"
    assert rc_request.form["assertion"] == CANARY + "-jwt"
    assert httpserver.log[1][0].form.to_dict() == {
        "rcAccessToken": "rc-access",
        "rcTokenType": "Bearer",
    }


def test_second_401_after_refresh_gives_up(httpserver, sleeps, quick_retry, cache_dir):
    httpserver.expect_request("/restapi/oauth/token").respond_with_json({"access_token": "a"})
    httpserver.expect_request("/api/auth/login/rc/accesstoken").respond_with_json(
        {"accessToken": "t", "agentDetails": [{"accountId": ACCOUNT}]}
    )
    httpserver.expect_request(PATH).respond_with_data("no", status=401)
    api = EngageVoiceClient(
        base_url=httpserver.url_for("/voice/api"),
        rc_server_url=httpserver.url_for(""),
        rc_client_id="id",
        rc_client_secret=CANARY,
        rc_jwt=CANARY,
        retry=quick_retry,
        sleep=sleeps,
    )
    with pytest.raises(ca.AuthenticationError):
        fetch_dialer_results("2024-04-22", "2024-04-23", client=api)
    assert [r.path for r, _ in httpserver.log].count(PATH) == 2


def test_missing_credentials_say_what_to_set(cache_dir):
    with pytest.raises(ca.AuthenticationError, match="set ENGAGE_VOICE_TOKEN"):
        fetch_dialer_results("2024-04-22", "2024-04-23", client=EngageVoiceClient())


def test_timeout_is_retried_then_raised(httpserver, sleeps, cache_dir):
    def slow(request):
        time.sleep(1.0)
        return day_csv(request)

    httpserver.expect_request(PATH, method="POST").respond_with_handler(slow)
    api = client(
        httpserver,
        sleeps,
        ca.sources.http.RetryPolicy(attempts=2, base_delay=0),
        timeout=(1.0, 0.2),
    )
    with pytest.raises(ca.ServerError, match="ReadTimeout contacting Engage Voice"):
        fetch_dialer_results("2024-04-22", "2024-04-23", client=api)


def test_truncated_body_is_an_error_and_nothing_is_cached(
    raw_server, sleeps, quick_retry, cache_dir
):
    body = dialer_csv([{"callID": "1", "call_start": "2024-04-22 10:00:00"}])
    payload = (
        b"HTTP/1.1 200 OK\r\nContent-Type: text/csv\r\nContent-Length: "
        + str(len(body) + 500).encode()
        + b"\r\nConnection: close\r\n\r\n"
        + body
    )
    base = raw_server(payload)
    api = EngageVoiceClient(
        base_url=base + "/voice/api",
        account_id=ACCOUNT,
        token=CANARY,
        retry=quick_retry,
        sleep=sleeps,
    )
    with pytest.raises(ca.ResponseError, match=r"ended the response early|truncated") as info:
        fetch_dialer_results("2024-04-22", "2024-04-23", client=api)
    assert CANARY not in str(info.value)
    assert not list(cache_dir.rglob("*.parquet"))


def test_html_error_page_with_status_200_is_an_error(httpserver, sleeps, quick_retry, cache_dir):
    httpserver.expect_request(PATH, method="POST").respond_with_data(
        "<!DOCTYPE html><html><body>Maintenance</body></html>", content_type="text/html"
    )
    with pytest.raises(ca.ResponseError, match=r"not report data.*HTML page"):
        fetch_dialer_results(
            "2024-04-22", "2024-04-23", client=client(httpserver, sleeps, quick_retry)
        )
    assert not list(cache_dir.rglob("*.parquet"))


def test_schema_drift(httpserver, sleeps, quick_retry, cache_dir):
    without = [c for c in DIALER_RESULTS.names if c != "duration"]
    httpserver.expect_request(PATH, method="POST").respond_with_data(
        dialer_csv([{"callID": "1"}], columns=without), content_type="text/csv"
    )
    with pytest.raises(ca.SchemaError, match=r"missing 1 documented column.*duration"):
        fetch_dialer_results(
            "2024-04-22", "2024-04-23", client=client(httpserver, sleeps, quick_retry)
        )
    httpserver.clear()
    extra = [*DIALER_RESULTS.names, "campaign_goal"]
    httpserver.expect_request(PATH, method="POST").respond_with_data(
        dialer_csv(
            [{"callID": "1", "campaign_goal": "sales", "call_start": "2024-04-23 10:00:00"}],
            columns=extra,
        ),
        content_type="text/csv",
    )
    with pytest.warns(ca.UnknownColumnsWarning, match="campaign_goal"):
        frame = fetch_dialer_results(
            "2024-04-23", "2024-04-24", client=client(httpserver, sleeps, quick_retry)
        )
    assert frame["campaign_goal"].to_list() == ["sales"]


def test_no_secret_in_errors_logs_or_cache(httpserver, sleeps, quick_retry, cache_dir, caplog):
    caplog.set_level(logging.DEBUG)
    answers = iter(
        [Response("x", status=503), Response("x", status=429, headers={"Retry-After": "1"})]
    )
    httpserver.expect_request(PATH, method="POST").respond_with_handler(
        lambda request: next(answers, None) or day_csv(request)
    )
    api = client(httpserver, sleeps, quick_retry)
    fetch_dialer_results("2024-04-22", "2024-04-23", client=api)
    assert CANARY not in repr(api) and CANARY not in str(api.token)
    for path in cache_dir.rglob("*"):
        if path.is_file():
            assert CANARY.encode() not in path.read_bytes()
    assert caplog.records and all(CANARY not in r.getMessage() for r in caplog.records)


def test_compressed_response_is_read_whole(httpserver, sleeps, quick_retry, cache_dir):
    import gzip

    body = dialer_csv([{"callID": "1", "call_start": "2024-04-22 10:00:00"}])
    httpserver.expect_request(PATH, method="POST").respond_with_data(
        gzip.compress(body), headers={"Content-Encoding": "gzip"}, content_type="text/csv"
    )
    frame = fetch_dialer_results(
        "2024-04-22", "2024-04-23", client=client(httpserver, sleeps, quick_retry)
    )
    assert frame["callID"].to_list() == ["1"]

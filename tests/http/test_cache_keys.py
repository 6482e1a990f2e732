"""The day cache answers only the question it was filled for: same server, same account,
same options, same schema. Everything else is a miss, and a file that is not exactly the
report schema is removed and fetched again."""

from __future__ import annotations

import dataclasses
import json
import logging
from collections.abc import Iterator
from datetime import datetime

import polars as pl
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

import callanalytics as ca
from callanalytics.cache import DayCache
from callanalytics.schema import DIALER_RESULTS, LEADFLOW_HISTORY
from callanalytics.schema.kinds import Text
from callanalytics.schema.table import Column
from callanalytics.sources.engage_voice import EngageVoiceClient, fetch_dialer_results
from callanalytics.sources.leadflow import LeadFlowClient, fetch_leadflow_history
from tests.builders import dialer_csv, leadflow_json
from tests.http.conftest import CANARY

LEADFLOW_PATH = "/report/v1/leadflow/v2/history"


def engage_path(account: str) -> str:
    return f"/voice/api/v1/admin/accounts/{account}/reportsStreaming"


def engage_rows(label: str):
    """A handler answering one call on the window's day, its callID naming ``label``."""

    def handler(request: Request) -> Response:
        start = request.get_json()["reportCriteria"]["startDate"][:10]
        row = {
            "callID": f"{label}-{start}",
            "call_start": f"{start} 10:00:00",
            "pass_disposition": "ANSWER",
        }
        return Response(dialer_csv([row]), content_type="text/csv")

    return handler


ACCOUNTS = {"key-one": "one", "key-two": "two"}


def leadflow_rows(request: Request) -> Response:
    """One call at noon on the window's first day; its sid names the account behind the
    caller's access key."""
    account = ACCOUNTS.get(request.headers["Authorization"].split(":", 1)[0], "other")
    day = request.args["start_date"][:10]
    rows = [{"call_date": f"{day} 12:00:00", "sid": f"{account}-{day}", "lead_status": "Hang Up"}]
    return Response(leadflow_json(rows, wrap="response"), content_type="application/json")


@pytest.fixture
def second_server() -> Iterator[HTTPServer]:
    server = HTTPServer(host="127.0.0.1", port=0)
    server.start()
    yield server
    server.clear()
    if server.is_running():
        server.stop()


def engage(server: HTTPServer, account: str, quick_retry, sleeps) -> EngageVoiceClient:
    return EngageVoiceClient(
        base_url=server.url_for("/voice/api"),
        account_id=account,
        token=CANARY,
        retry=quick_retry,
        sleep=sleeps,
    )


def leadflow(server: HTTPServer, access: str, quick_retry, sleeps) -> LeadFlowClient:
    return LeadFlowClient(
        base_url=server.url_for(""),
        access_key=access,
        secret_key=CANARY,
        min_interval=0.0,
        retry=quick_retry,
        sleep=sleeps,
    )


def test_two_engage_servers_never_share_a_cached_day(
    httpserver, second_server, quick_retry, sleeps, cache_dir
):
    httpserver.expect_request(engage_path("1")).respond_with_handler(engage_rows("first"))
    second_server.expect_request(engage_path("1")).respond_with_handler(engage_rows("second"))
    a = fetch_dialer_results(
        "2024-04-22", "2024-04-23", client=engage(httpserver, "1", quick_retry, sleeps)
    )
    b = fetch_dialer_results(
        "2024-04-22", "2024-04-23", client=engage(second_server, "1", quick_retry, sleeps)
    )
    assert a["callID"].to_list() == ["first-2024-04-22"]
    assert len(second_server.log) == 1
    assert b["callID"].to_list() == ["second-2024-04-22"]


def test_two_engage_accounts_never_share_a_cached_day(httpserver, quick_retry, sleeps, cache_dir):
    httpserver.expect_request(engage_path("1")).respond_with_handler(engage_rows("acct1"))
    httpserver.expect_request(engage_path("2")).respond_with_handler(engage_rows("acct2"))
    a = fetch_dialer_results(
        "2024-04-22", "2024-04-23", client=engage(httpserver, "1", quick_retry, sleeps)
    )
    b = fetch_dialer_results(
        "2024-04-22", "2024-04-23", client=engage(httpserver, "2", quick_retry, sleeps)
    )
    assert [r.path for r, _ in httpserver.log] == [engage_path("1"), engage_path("2")]
    assert (a["callID"].to_list(), b["callID"].to_list()) == (
        ["acct1-2024-04-22"],
        ["acct2-2024-04-22"],
    )
    # and each account's day is now cached: a third fetch makes no request
    again = fetch_dialer_results(
        "2024-04-22", "2024-04-23", client=engage(httpserver, "2", quick_retry, sleeps)
    )
    assert len(httpserver.log) == 2 and again.equals(b)


def test_two_leadflow_access_keys_never_share_a_cached_day(
    httpserver, quick_retry, sleeps, cache_dir
):
    httpserver.expect_request(LEADFLOW_PATH).respond_with_handler(leadflow_rows)
    a = fetch_leadflow_history(
        "2024-10-01", "2024-10-02", client=leadflow(httpserver, "key-one", quick_retry, sleeps)
    )
    b = fetch_leadflow_history(
        "2024-10-01", "2024-10-02", client=leadflow(httpserver, "key-two", quick_retry, sleeps)
    )
    assert len(httpserver.log) == 2
    assert (a["sid"].to_list(), b["sid"].to_list()) == (
        ["one-2024-10-01"],
        ["two-2024-10-01"],
    )


def test_two_leadflow_servers_never_share_a_cached_day(
    httpserver, second_server, quick_retry, sleeps, cache_dir
):
    httpserver.expect_request(LEADFLOW_PATH).respond_with_handler(leadflow_rows)
    second_server.expect_request(LEADFLOW_PATH).respond_with_handler(leadflow_rows)
    fetch_leadflow_history(
        "2024-10-01", "2024-10-02", client=leadflow(httpserver, "same", quick_retry, sleeps)
    )
    fetch_leadflow_history(
        "2024-10-01", "2024-10-02", client=leadflow(second_server, "same", quick_retry, sleeps)
    )
    assert (len(httpserver.log), len(second_server.log)) == (1, 1)


def test_the_access_key_is_hashed_never_stored(httpserver, quick_retry, sleeps, cache_dir):
    httpserver.expect_request(LEADFLOW_PATH).respond_with_handler(leadflow_rows)
    key = "access-" + CANARY
    fetch_leadflow_history(
        "2024-10-01", "2024-10-02", client=leadflow(httpserver, key, quick_retry, sleeps)
    )
    (described,) = cache_dir.rglob("_query.json")
    recorded = json.loads(described.read_text())
    assert recorded["source"]["base_url"] == httpserver.url_for("").rstrip("/")
    assert recorded["schema"] == LEADFLOW_HISTORY.fingerprint()
    for path in cache_dir.rglob("*"):
        if path.is_file():
            assert key.encode() not in path.read_bytes()
            assert CANARY.encode() not in path.read_bytes()


def test_jwt_login_account_keys_the_cache(httpserver, quick_retry, sleeps, cache_dir):
    """Without a configured account id the client logs in first: the account the login
    names is part of the key, so a day cached for another account is not served."""
    account = {"id": "1"}
    httpserver.expect_request("/restapi/oauth/token", method="POST").respond_with_json(
        {"access_token": "rc-access", "token_type": "bearer"}
    )
    httpserver.expect_request("/api/auth/login/rc/accesstoken", method="POST").respond_with_handler(
        lambda request: Response(
            json.dumps({"accessToken": "t", "agentDetails": [{"accountId": account["id"]}]}),
            content_type="application/json",
        )
    )
    httpserver.expect_request(engage_path("1")).respond_with_handler(engage_rows("acct1"))
    httpserver.expect_request(engage_path("2")).respond_with_handler(engage_rows("acct2"))

    def login_client() -> EngageVoiceClient:
        return EngageVoiceClient(
            base_url=httpserver.url_for("/voice/api"),
            rc_server_url=httpserver.url_for(""),
            rc_client_id="client-id",
            rc_client_secret=CANARY,
            rc_jwt=CANARY + "-jwt",
            retry=quick_retry,
            sleep=sleeps,
        )

    a = fetch_dialer_results("2024-04-22", "2024-04-23", client=login_client())
    account["id"] = "2"
    b = fetch_dialer_results("2024-04-22", "2024-04-23", client=login_client())
    assert (a["callID"].to_list(), b["callID"].to_list()) == (
        ["acct1-2024-04-22"],
        ["acct2-2024-04-22"],
    )


# --- stale or foreign files -------------------------------------------------------------


def _dialer_day(httpserver, quick_retry, sleeps) -> tuple[pl.DataFrame, EngageVoiceClient]:
    httpserver.expect_request(engage_path("1")).respond_with_handler(engage_rows("acct1"))
    api = engage(httpserver, "1", quick_retry, sleeps)
    return fetch_dialer_results("2024-04-22", "2024-04-23", client=api), api


STALE_DIALER = {
    "a different report": lambda f: pl.DataFrame({"x": [1, 2]}),
    "a missing column": lambda f: f.drop("agent_id"),
    "a naive call_start": lambda f: f.with_columns(pl.col("call_start").dt.replace_time_zone(None)),
    "a call_start in another zone": lambda f: f.with_columns(
        pl.col("call_start").dt.convert_time_zone("UTC")
    ),
    "a String pass_disposition": lambda f: f.with_columns(pl.col("pass_disposition").cast(str)),
    "columns in another order": lambda f: f.select(reversed(f.columns)),
    "an extra column": lambda f: f.with_columns(pl.lit(1).alias("stray")),
}


@pytest.mark.parametrize("stale", STALE_DIALER.values(), ids=STALE_DIALER.keys())
def test_a_dialer_file_of_another_schema_is_replaced(
    stale, httpserver, quick_retry, sleeps, cache_dir, caplog
):
    first, api = _dialer_day(httpserver, quick_retry, sleeps)
    (cached,) = cache_dir.rglob("data.parquet")
    stale(first).write_parquet(cached)
    caplog.set_level(logging.WARNING, logger="callanalytics.cache")
    again = fetch_dialer_results("2024-04-22", "2024-04-23", client=api)
    assert len(httpserver.log) == 2  # fetched again
    assert again.equals(first) and again.schema == DIALER_RESULTS.polars_schema()
    assert pl.read_parquet(cached).equals(first)  # and the file was replaced
    (warning,) = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert "schema" in warning.getMessage() and str(cached) in warning.getMessage()


STALE_LEADFLOW = {
    "a different report": lambda f: pl.DataFrame({"sid": ["x"], "call_date": [1]}),
    "a missing column": lambda f: f.drop("margin"),
    "a String lead_status": lambda f: f.with_columns(pl.col("lead_status").cast(str)),
    "a Float margin": lambda f: f.with_columns(pl.col("margin").cast(pl.Float64)),
}


@pytest.mark.parametrize("stale", STALE_LEADFLOW.values(), ids=STALE_LEADFLOW.keys())
def test_a_leadflow_file_of_another_schema_is_replaced(
    stale, httpserver, quick_retry, sleeps, cache_dir, caplog
):
    httpserver.expect_request(LEADFLOW_PATH).respond_with_handler(leadflow_rows)
    api = leadflow(httpserver, "key", quick_retry, sleeps)
    first = fetch_leadflow_history("2024-10-01", "2024-10-02", client=api)
    (cached,) = cache_dir.rglob("data.parquet")
    stale(first).write_parquet(cached)
    again = fetch_leadflow_history("2024-10-01", "2024-10-02", client=api)
    assert len(httpserver.log) == 2
    assert again.equals(first) and pl.read_parquet(cached).equals(first)
    assert any("schema" in r.getMessage() for r in caplog.records if r.levelno == logging.WARNING)


def test_a_planted_file_in_a_fresh_folder_is_not_served(httpserver, quick_retry, sleeps, cache_dir):
    """Another tool (or an older version) wrote a file exactly where the cache looks."""
    api = engage(httpserver, "1", quick_retry, sleeps)
    days = DayCache(
        None, DIALER_RESULTS, _criteria("America/New_York"), source=api.cache_identity()
    )
    days.path(datetime(2024, 4, 22).date()).parent.mkdir(parents=True)
    pl.DataFrame({"callID": ["planted"]}).write_parquet(days.path(datetime(2024, 4, 22).date()))
    httpserver.expect_request(engage_path("1")).respond_with_handler(engage_rows("acct1"))
    frame = fetch_dialer_results("2024-04-22", "2024-04-23", client=api)
    assert frame["callID"].to_list() == ["acct1-2024-04-22"] and len(httpserver.log) == 1


def _criteria(zone: str) -> dict:
    return dict(
        timezone=zone,
        system_disposition="ALL",
        leads="ALL_LEADS",
        include_aux=True,
        include_transfer=True,
        include_speed_to_lead=True,
    )


# --- schema fingerprint ------------------------------------------------------------------


def test_the_fingerprint_follows_names_and_dtypes():
    base = LEADFLOW_HISTORY.fingerprint()
    assert base == LEADFLOW_HISTORY.fingerprint("America/New_York")  # the default zone
    assert DIALER_RESULTS.fingerprint("UTC") != DIALER_RESULTS.fingerprint("America/Chicago")
    added = dataclasses.replace(
        LEADFLOW_HISTORY,
        columns=(*LEADFLOW_HISTORY.columns, Column("buyer_tier", Text(), "new column")),
    )
    changed = dataclasses.replace(
        LEADFLOW_HISTORY,
        columns=tuple(
            Column(c.name, Text(), c.description) if c.name == "lead_status" else c
            for c in LEADFLOW_HISTORY.columns
        ),
    )
    assert len({base, added.fingerprint(), changed.fingerprint()}) == 3


def test_a_schema_change_moves_the_cache_to_a_new_folder(tmp_path):
    added = dataclasses.replace(
        LEADFLOW_HISTORY,
        columns=(*LEADFLOW_HISTORY.columns, Column("buyer_tier", Text(), "new column")),
    )
    old = DayCache(tmp_path, LEADFLOW_HISTORY, {})
    new = DayCache(tmp_path, added, {})
    assert old.folder != new.folder and old.folder.parent == new.folder.parent


# --- clear_cache names -------------------------------------------------------------------


def test_clear_cache_accepts_the_cli_names_and_refuses_others(
    httpserver, quick_retry, sleeps, cache_dir
):
    _dialer_day(httpserver, quick_retry, sleeps)
    httpserver.expect_request(LEADFLOW_PATH).respond_with_handler(leadflow_rows)
    fetch_leadflow_history(
        "2024-10-01", "2024-10-03", client=leadflow(httpserver, "k", quick_retry, sleeps)
    )
    with pytest.raises(ValueError, match=r"unknown report 'dailer'.*dialer.*leadflow"):
        ca.clear_cache("dailer")
    assert ca.clear_cache("dialer") == 1
    assert ca.clear_cache("leadflow_history") == 2
    assert not list(cache_dir.rglob("*.parquet"))

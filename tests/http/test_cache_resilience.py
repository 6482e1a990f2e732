"""The day cache survives corrupt files, concurrent writers and interrupted runs."""

from __future__ import annotations

import logging
import multiprocessing
import os
from pathlib import Path

import duckdb
import polars as pl
import pytest
from werkzeug import Request, Response

import callanalytics as ca
from callanalytics.cache import DayCache
from callanalytics.errors import OutOfWindowRowsWarning
from callanalytics.schema import LEADFLOW_HISTORY
from callanalytics.sources.http import RetryPolicy
from callanalytics.sources.leadflow import LeadFlowClient, fetch_leadflow_history
from tests.builders import leadflow_json

PATH = "/report/v1/leadflow/v2/history"


def day_records(request: Request) -> Response:
    day = request.args["start_date"][:10]
    rows = [
        {
            "call_date": f"{day} {h:02d}:00:00",
            "sid": f"{day}-{h}",
            "affiliate": "A",
            "margin": "1.00",
            "offer_price": "1.00",
            "affiliate_price": "0.00",
        }
        for h in range(3)
    ]
    return Response(leadflow_json(rows, wrap="response"), content_type="application/json")


def client(base: str) -> LeadFlowClient:
    return LeadFlowClient(
        base_url=base,
        access_key="a",
        secret_key="s",
        min_interval=0,
        retry=RetryPolicy(attempts=2, base_delay=0),
        sleep=lambda s: None,
    )


def test_corrupt_cache_file_is_removed_and_fetched_again(httpserver, cache_dir):
    httpserver.expect_request(PATH).respond_with_handler(day_records)
    api = client(httpserver.url_for(""))
    first = fetch_leadflow_history("2024-10-01", "2024-10-02", client=api)
    (cached,) = cache_dir.rglob("data.parquet")
    cached.write_bytes(cached.read_bytes()[:100])  # a torn write from some other tool
    again = fetch_leadflow_history("2024-10-01", "2024-10-02", client=api)
    assert len(httpserver.log) == 2 and again.equals(first)
    assert pl.read_parquet(cached).equals(first)


def test_interrupted_range_resumes_without_refetching_finished_days(httpserver, cache_dir):
    def flaky(request: Request) -> Response:
        if request.args["start_date"].startswith("2024-10-08"):
            return Response("down", status=500)
        return day_records(request)

    httpserver.expect_request(PATH).respond_with_handler(flaky)
    api = client(httpserver.url_for(""))
    try:
        fetch_leadflow_history("2024-10-01", "2024-10-10", client=api)
    except ca.ServerError:
        pass
    else:  # pragma: no cover
        raise AssertionError("the second window should have failed")
    cached = sorted(p.parent.name for p in cache_dir.rglob("data.parquet"))
    assert cached == [f"date=2024-10-0{d}" for d in range(1, 8)]
    httpserver.clear()
    httpserver.expect_request(PATH).respond_with_handler(day_records)
    frame = fetch_leadflow_history("2024-10-01", "2024-10-10", client=api)
    assert [r.args["start_date"][:10] for r, _ in httpserver.log] == ["2024-10-08"]
    assert frame.height == 2 * 3  # three calls on the first day of each window


def _fill(base: str, cache: str, queue) -> None:
    import os

    os.environ["CALLANALYTICS_CACHE_DIR"] = cache
    try:
        frame = fetch_leadflow_history("2024-10-01", "2024-10-15", client=client(base))
        queue.put(frame.height)
    except Exception as error:  # pragma: no cover - reported to the parent
        queue.put(repr(error))


def fixed_day_records(request: Request) -> Response:
    """Three calls on each of 2024-10-01 and 2024-10-08 that lie in the requested range,
    whatever the window: a process that finds some days already cached by the other one
    asks for different windows, and must still get the same calls."""
    start, end = request.args["start_date"][:10], request.args["end_date"][:10]
    rows = [
        {"call_date": f"{day} {h:02d}:00:00", "sid": f"{day}-{h}", "margin": "1.00"}
        for day in ("2024-10-01", "2024-10-08")
        if start <= day < end
        for h in range(3)
    ]
    return Response(leadflow_json(rows, wrap="response"), content_type="application/json")


def test_two_processes_filling_the_same_cache_leave_it_consistent(httpserver, cache_dir):
    httpserver.expect_request(PATH).respond_with_handler(fixed_day_records)
    # spawn, not fork: forking a process that runs polars threads can deadlock the child
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    workers = [
        context.Process(target=_fill, args=(httpserver.url_for(""), str(cache_dir), queue))
        for _ in range(2)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    assert [queue.get(timeout=5) for _ in workers] == [2 * 3, 2 * 3]
    files = sorted(cache_dir.rglob("data.parquet"))
    assert len(files) == 14
    assert not [p for p in cache_dir.rglob("*") if p.name.endswith(".tmp")]
    heights = {p.parent.name: pl.read_parquet(p).height for p in files}
    busy = {"date=2024-10-01", "date=2024-10-08"}
    assert all(heights[d] == (3 if d in busy else 0) for d in heights)


def test_the_cache_is_a_dataset_duckdb_reads_directly(httpserver, cache_dir):
    httpserver.expect_request(PATH).respond_with_handler(day_records)
    fetch_leadflow_history("2024-10-01", "2024-10-03", client=client(httpserver.url_for("")))
    pattern = str(cache_dir / "report=leadflow_history" / "*" / "*" / "*.parquet")
    rows = duckdb.sql(
        f"SELECT date, count(*) AS calls, sum(margin) AS margin FROM read_parquet('{pattern}', "
        "hive_partitioning = true) GROUP BY date ORDER BY date"
    ).fetchall()
    # 2024-10-02 is cached as an empty file, which contributes no group
    assert [(str(d), n, float(m)) for d, n, m in rows] == [("2024-10-01", 3, 3.0)]


def test_day_cache_keeps_request_options_apart(tmp_path):
    a = DayCache(tmp_path, LEADFLOW_HISTORY, {"set_id": 1})
    b = DayCache(tmp_path, LEADFLOW_HISTORY, {"set_id": 2})
    assert a.folder != b.folder
    assert (a.folder.parent.name, a.folder.name.startswith("query=")) == (
        "report=leadflow_history",
        True,
    )


# --- the cache is best effort: a cache problem never loses a download -------------------


def _cache_warnings(caplog) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.name == "callanalytics.cache" and r.levelno == logging.WARNING
    ]


def test_a_cache_path_that_is_a_file_still_returns_the_data(httpserver, tmp_path, caplog):
    httpserver.expect_request(PATH).respond_with_handler(day_records)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("someone else's file")
    frame = fetch_leadflow_history(
        "2024-10-01", "2024-10-15", client=client(httpserver.url_for("")), cache_dir=blocker
    )
    assert frame.height == 2 * 3 and len(httpserver.log) == 2
    (warning,) = _cache_warnings(caplog)  # once for the fetch, not once per day
    assert str(blocker) in warning and "not cached" in warning
    assert blocker.read_text() == "someone else's file"


def test_an_unwritable_cache_still_returns_the_data(httpserver, cache_dir, caplog, monkeypatch):
    httpserver.expect_request(PATH).respond_with_handler(day_records)

    def refuse(self, file, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(file))

    monkeypatch.setattr(pl.DataFrame, "write_parquet", refuse)
    api = client(httpserver.url_for(""))
    frame = fetch_leadflow_history("2024-10-01", "2024-10-15", client=api)
    assert frame.height == 2 * 3
    (warning,) = _cache_warnings(caplog)
    assert "PermissionError" in warning
    assert not [p for p in cache_dir.rglob("*") if p.name.endswith(".tmp")]


def test_a_corrupt_file_that_cannot_be_removed_is_refetched(
    httpserver, cache_dir, caplog, monkeypatch
):
    httpserver.expect_request(PATH).respond_with_handler(day_records)
    api = client(httpserver.url_for(""))
    first = fetch_leadflow_history("2024-10-01", "2024-10-03", client=api)
    for cached in cache_dir.rglob("data.parquet"):
        cached.write_bytes(b"PAR1 torn")
    real_unlink = Path.unlink

    def refuse(self, missing_ok=False):
        if self.name == "data.parquet":
            raise PermissionError(13, "Permission denied", str(self))
        real_unlink(self, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "unlink", refuse)
    monkeypatch.setattr(os, "replace", _refuse_replace)
    again = fetch_leadflow_history("2024-10-01", "2024-10-03", client=api)
    assert again.equals(first) and len(httpserver.log) == 2
    (warning,) = _cache_warnings(caplog)
    assert "PermissionError" in warning


def _refuse_replace(source, destination):
    raise PermissionError(13, "Permission denied", str(destination))


def test_dialer_fetch_with_an_unusable_cache_returns_the_data(httpserver, tmp_path, caplog):
    from callanalytics.sources.engage_voice import EngageVoiceClient, fetch_dialer_results
    from tests.builders import dialer_csv

    httpserver.expect_request("/v1/admin/accounts/9/reportsStreaming").respond_with_data(
        dialer_csv([{"callID": "1", "call_start": "2024-04-22 10:00:00"}]),
        content_type="text/csv",
    )
    blocker = tmp_path / "cache-file"
    blocker.write_text("")
    api = EngageVoiceClient(
        base_url=httpserver.url_for(""),
        account_id="9",
        token="t",
        retry=RetryPolicy(attempts=1, base_delay=0),
        sleep=lambda s: None,
    )
    # the server answers the same call whatever the day: for the 20th and 21st it is out of
    # the window, so those two answers are counted (and would not be cached anyway)
    with pytest.warns(OutOfWindowRowsWarning, match="2 rows outside"):
        frame = fetch_dialer_results("2024-04-20", "2024-04-23", client=api, cache_dir=blocker)
    assert frame["callID"].to_list() == ["1"]  # the call falls on the 22nd; three days fetched
    assert len(httpserver.log) == 3 and len(_cache_warnings(caplog)) == 1


def test_get_many_returns_the_cached_days_in_order_and_drops_unreadable_ones(tmp_path, caplog):
    from datetime import date, timedelta

    cache = DayCache(tmp_path, LEADFLOW_HISTORY, {"a": 1})
    days = [date(2024, 11, 1) + timedelta(days=i) for i in range(12)]
    frames = {}
    for i, day in enumerate(days):
        if i == 5:
            continue  # never cached
        frame = ca.sample_leadflow_history(n=3 + i, seed=i)
        cache.put(day, frame)
        frames[day] = frame
    cache.path(days[7]).write_bytes(b"not parquet")  # corrupt: removed, treated as missing
    with caplog.at_level(logging.WARNING, logger="callanalytics"):
        found = cache.get_many(reversed(days))
    expected = [d for d in reversed(days) if d not in (days[5], days[7])]
    assert list(found) == expected
    assert all(found[d].equals(frames[d]) for d in expected)
    assert not cache.path(days[7]).exists()
    assert sum("removed cache file" in r.getMessage() for r in caplog.records) == 1

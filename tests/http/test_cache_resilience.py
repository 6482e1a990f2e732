"""The day cache survives corrupt files, concurrent writers and interrupted runs."""

from __future__ import annotations

import multiprocessing

import duckdb
import polars as pl
from werkzeug import Request, Response

import callanalytics as ca
from callanalytics.cache import DayCache
from callanalytics.sources.http import RetryPolicy
from callanalytics.sources.leadflow import LeadFlowClient, fetch_leadflow_history
from tests.conftest import leadflow_json

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


def test_two_processes_filling_the_same_cache_leave_it_consistent(httpserver, cache_dir):
    httpserver.expect_request(PATH).respond_with_handler(day_records)
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
    busy = {"date=2024-10-01", "date=2024-10-08"}  # each window's records fall on its first day
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
    a = DayCache(tmp_path, "leadflow_history", {"set_id": 1})
    b = DayCache(tmp_path, "leadflow_history", {"set_id": 2})
    assert a.folder != b.folder
    assert (a.folder.parent.name, a.folder.name.startswith("query=")) == (
        "report=leadflow_history",
        True,
    )

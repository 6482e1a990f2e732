"""Rows a server sends outside the requested window: trimmed, counted in one warning per
fetch, and a response with nothing but such rows is not cached as an empty day."""

from __future__ import annotations

import pytest
from werkzeug import Request, Response

from callanalytics.errors import CallAnalyticsWarning, OutOfWindowRowsWarning
from callanalytics.sources.leadflow import fetch_leadflow_history
from tests.builders import leadflow_json
from tests.http.test_leadflow import PATH, client, record


def test_a_server_that_ignores_the_dates_is_named_and_nothing_is_cached(
    httpserver, sleeps, quick_retry, cache_dir
):
    october = [record("2024-10-28 09:00:00", "a"), record("2024-10-28 10:00:00", "b")]
    httpserver.expect_request(PATH).respond_with_data(
        leadflow_json(october, wrap="response"), content_type="application/json"
    )
    api = client(httpserver, sleeps, quick_retry)
    with pytest.warns(OutOfWindowRowsWarning) as caught:
        frame = fetch_leadflow_history("2024-11-05", "2024-11-07", client=api)
    assert len(caught) == 1
    message = str(caught[0].message)
    assert "2 rows" in message and "2024-11-05" in message and "2024-11-07" in message
    assert "ignored" in message and "not cached" in message
    assert issubclass(OutOfWindowRowsWarning, CallAnalyticsWarning)
    assert frame.height == 0
    assert not cache_dir.exists() or not list(cache_dir.rglob("*.parquet"))
    # nothing was cached, so asking again asks the server again
    with pytest.warns(OutOfWindowRowsWarning):
        fetch_leadflow_history("2024-11-05", "2024-11-07", client=api)
    assert len(httpserver.log) == 2


def test_stray_rows_are_counted_once_per_fetch_and_the_boundary_row_is_quiet(
    httpserver, sleeps, quick_retry, cache_dir
):
    def answer(request: Request) -> Response:
        day = request.args["start_date"][:10]
        rows = [
            record(f"{day} 12:00:00", f"in-{day}"),
            record("2024-10-28 09:00:00", f"before-{day}"),
            record("2024-12-28 09:00:00", f"after-{day}"),
            record(f"{request.args['end_date'][:10]} 00:00:00", f"edge-{day}"),
        ]
        return Response(leadflow_json(rows, wrap="response"), content_type="application/json")

    httpserver.expect_request(PATH).respond_with_handler(answer)
    api = client(httpserver, sleeps, quick_retry)
    with pytest.warns(OutOfWindowRowsWarning) as caught:
        frame = fetch_leadflow_history("2024-11-05", "2024-11-07", client=api)
    assert len(caught) == 1  # one fetch, one warning, the count in it
    assert "2 rows" in str(caught[0].message)
    assert "not cached" not in str(caught[0].message)
    assert frame["sid"].to_list() == ["in-2024-11-05"]
    # the server honoured the range: the days are cached and not asked for again
    fetch_leadflow_history("2024-11-05", "2024-11-07", client=api)
    assert len(httpserver.log) == 1


def test_only_the_boundary_row_outside_is_quiet(httpserver, sleeps, quick_retry, cache_dir):
    httpserver.expect_request(PATH).respond_with_data(
        leadflow_json([record("2024-11-06 00:00:00", "edge")], wrap="response"),
        content_type="application/json",
    )
    api = client(httpserver, sleeps, quick_retry)
    frame = fetch_leadflow_history("2024-11-05", "2024-11-06", client=api)  # no warning
    assert frame.height == 0
    fetch_leadflow_history("2024-11-05", "2024-11-06", client=api)
    assert len(httpserver.log) == 1  # an empty day next to a boundary row is cached

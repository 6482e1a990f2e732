"""Request windows: at most seven days, and never longer than 7 x 24 hours in absolute time
(a week holding the November fall-back is 169 hours of wall clock)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from werkzeug import Request, Response

from callanalytics.dates import as_instant
from callanalytics.sources.http import RetryPolicy
from callanalytics.sources.leadflow import LeadFlowClient, fetch_leadflow_history
from callanalytics.sources.windows import day_windows, split_days
from tests.builders import leadflow_json

NY = "America/New_York"
WEEK = timedelta(hours=168)
PATH = "/report/v1/leadflow/v2/history"


def _runs(start: str, end: str, zone: str = NY):
    days = list(day_windows(as_instant(start, zone), as_instant(end, zone), zone))
    return days, list(split_days(days, 7))


def test_no_run_is_longer_than_168_hours_across_the_fall_back():
    days, runs = _runs("2024-10-28", "2024-11-10")
    assert [w for run in runs for w in run] == days  # every day once, in order
    assert all(run[-1].end - run[0].start <= WEEK for run in runs)  # wall clock
    spans = [run[-1].end.astimezone(ZoneInfo("UTC")) - run[0].start for run in runs]
    assert all(span <= WEEK for span in spans), spans
    assert all(len(run) <= 7 for run in runs)


def test_the_spring_forward_week_stays_one_window():
    _, runs = _runs("2024-03-04", "2024-03-11")  # holds 2024-03-10, a 23-hour day
    assert [len(run) for run in runs] == [7]


def test_ordinary_weeks_are_still_seven_days():
    _, runs = _runs("2024-10-01", "2024-10-16")
    assert [len(run) for run in runs] == [7, 7, 1]


def test_utc_never_shortens_a_week():
    _, runs = _runs("2024-10-28", "2024-11-11", "UTC")
    assert [len(run) for run in runs] == [7, 7]


def strict_week(request: Request) -> Response:
    """A server that measures the range in absolute time and refuses more than 168 hours;
    it answers one call at noon on each local day of the range."""
    start = datetime.fromisoformat(request.args["start_date"])
    end = datetime.fromisoformat(request.args["end_date"])
    if end - start > WEEK:
        return Response('{"error": "date range exceeds 7 days"}', status=400)
    rows, day = [], start.date()
    while day < end.date():
        rows.append({"call_date": f"{day} 12:00:00", "sid": f"s{day:%m%d}"})
        day += timedelta(days=1)
    return Response(leadflow_json(rows, wrap="response"), content_type="application/json")


def test_a_fetch_across_the_fall_back_succeeds_against_a_strict_server(httpserver, tmp_path):
    httpserver.expect_request(PATH).respond_with_handler(strict_week)
    api = LeadFlowClient(
        base_url=httpserver.url_for(""),
        access_key="a",
        secret_key="s",
        min_interval=0,
        retry=RetryPolicy(attempts=1, base_delay=0),
        sleep=lambda s: None,
    )
    frame = fetch_leadflow_history("2024-10-28", "2024-11-10", client=api, cache_dir=tmp_path)
    expected = [f"s{date(2024, 10, 28) + timedelta(days=n):%m%d}" for n in range(13)]
    assert frame["sid"].to_list() == expected  # none lost, none twice
    assert all(status == 200 for _, response in httpserver.log for status in [response.status_code])

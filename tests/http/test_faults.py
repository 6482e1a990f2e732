"""Fault injection: both clients against a hostile local server (127.0.0.1 only).

Each fault is injected into one answer in the middle of a fetch (the second Engage day, the
second LeadFlow page); the fetch must then return exactly the rows the server served, none
lost and none twice. Persistent faults must end in the documented error class. Sleeps and
clocks are injected, so nothing here waits for real except the trickle (fractions of a second).
"""

from __future__ import annotations

import gzip
import json
import time
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

import pytest

import callanalytics as ca
from callanalytics.errors import DuplicateRowsWarning
from callanalytics.sources.engage_voice import EngageVoiceClient, fetch_dialer_results
from callanalytics.sources.http import RetryPolicy, TransferLimits
from callanalytics.sources.leadflow import LeadFlowClient, fetch_leadflow_history
from tests.builders import dialer_csv, leadflow_json
from tests.http.conftest import CANARY, FakeClock, http_response

ACCOUNT = "4455"
RETRY = RetryPolicy(attempts=3, base_delay=0.5, max_delay=0.5, max_retry_after=30)
ROWS = 3  # rows per Engage day and per LeadFlow page
PAGES = 3  # LeadFlow pages per query

Answer = Callable[[], Iterable[bytes]]


# --- the two report servers -----------------------------------------------------------------


def engage_rows(request) -> tuple[bytes, list[str]]:
    """A day's CSV for the day the request asks for, and the call ids in it."""
    criteria = json.loads(request[3])["reportCriteria"]
    day = criteria["startDate"][:10]
    ids = [f"{day.replace('-', '')}{i:03d}" for i in range(ROWS)]
    rows = [
        {"callID": c, "call_start": f"{day} 10:00:{i:02d}", "lead_phone": "02125550100"}
        for i, c in enumerate(ids)
    ]
    return dialer_csv(rows), ids


def leadflow_rows(request, overlap: bool = False) -> tuple[bytes, list[str]]:
    """One page (``?page=n``) of a 3-page answer, and the sids in it. With ``overlap`` each
    page repeats the last row of the previous one (a record that moved while paging)."""
    number = int(parse_qs(urlsplit(request[1]).query).get("page", ["1"])[0])
    sids = [f"p{number}-{i}" for i in range(ROWS)]
    if overlap and number > 1:
        sids = [f"p{number - 1}-{ROWS - 1}", *sids]
    records = [
        {"call_date": f"2024-10-01 10:{number:02d}:{i:02d}", "sid": sid, "affiliate": "BlueSky"}
        for i, sid in enumerate(sids)
    ]
    body = json.loads(leadflow_json(records, wrap="response"))
    return json.dumps(body | {"page": number, "total_pages": PAGES}).encode(), sids


@dataclass
class Source:
    """One client under test: how its server answers, and how to fetch through it."""

    name: str
    rows: Callable[..., tuple[bytes, list[str]]]
    content_type: str
    faulty_request: int  # the request index that gets the fault (a later day or page)
    served_ids: list[str] = field(default_factory=list)

    def script(self, faults: Callable[[int, object], Answer | None]):
        def answer(n: int, request) -> Iterable[bytes]:
            fault = faults(n, request)
            if fault is not None:
                return fault()
            body, ids = self.rows(request)
            self.served_ids.extend(ids)
            return [http_response(body, content_type=self.content_type)]

        return answer

    def fetch(self, base: str, sleep, **options):
        if self.name == "engage":
            api = EngageVoiceClient(
                base_url=base + "/voice/api",
                account_id=ACCOUNT,
                token=CANARY,
                retry=options.pop("retry", RETRY),
                sleep=sleep,
                **options,
            )
            frame = fetch_dialer_results("2024-04-22", "2024-04-25", client=api, cache=False)
            return frame["callID"].to_list()
        api = LeadFlowClient(
            base_url=base,
            access_key="access-1",
            secret_key=CANARY,
            api_key=CANARY + "-rate",
            min_interval=0.0,
            retry=options.pop("retry", RETRY),
            sleep=sleep,
            **options,
        )
        frame = fetch_leadflow_history("2024-10-01", "2024-10-02", client=api, cache=False)
        return frame["sid"].to_list()

    def expected(self) -> list[str]:
        if self.name == "engage":
            return [f"202404{d}{i:03d}" for d in (22, 23, 24) for i in range(ROWS)]
        return [f"p{p}-{i}" for p in range(1, PAGES + 1) for i in range(ROWS)]


def sources() -> list[Source]:
    return [
        Source("engage", engage_rows, "text/csv", faulty_request=1),
        Source("leadflow", leadflow_rows, "application/json", faulty_request=1),
    ]


@pytest.fixture(params=["engage", "leadflow"])
def source(request) -> Source:
    return next(s for s in sources() if s.name == request.param)


# --- faults ---------------------------------------------------------------------------------


def status(code: str, headers: dict[str, str] | None = None) -> Answer:
    return lambda: [http_response(b"busy", status=code, content_type="text/plain", headers=headers)]


def truncated(source: Source) -> Callable[[object], Answer]:
    def make(request) -> Answer:
        body, _ = source.rows(request)
        cut = body[: len(body) // 2]
        return lambda: [http_response(cut, content_type=source.content_type, length=len(body))]

    return make


def corrupt_gzip(source: Source) -> Callable[[object], Answer]:
    def make(request) -> Answer:
        body, _ = source.rows(request)
        broken = gzip.compress(body)[:12] + b"\x00\xff" * 40
        return lambda: [
            http_response(
                broken,
                content_type=source.content_type,
                headers={"Content-Encoding": "gzip"},
            )
        ]

    return make


def dropped() -> Answer:
    return lambda: []  # the server closes the connection without a word


def trickle(source: Source) -> Callable[[object], Answer]:
    def make(request) -> Answer:
        body, _ = source.rows(request)
        head = http_response(body, content_type=source.content_type)[: -len(body)]

        def pieces() -> Iterable[bytes]:
            yield head
            for i in range(len(body)):
                time.sleep(0.05)
                yield body[i : i + 1]

        return pieces

    return make


def once(index: int, make: Callable[[object], Answer]):
    """The fault on request ``index`` only; every other request is answered normally."""
    return lambda n, request: make(request) if n == index else None


def always(make: Callable[[object], Answer]):
    return lambda n, request: make(request)


def assert_rows(got: list[str], source: Source) -> None:
    assert len(got) == len(set(got)), "a row came back twice"
    assert sorted(got) == sorted(source.expected()), "rows lost or invented"
    assert sorted(set(source.served_ids)) == sorted(source.expected())


# --- faults that are retried and then succeed ----------------------------------------------


@pytest.mark.parametrize(
    "fault",
    ["503", "502", "500", "504", "429", "truncated", "dropped", "corrupt gzip", "same-host 307"],
)
def test_a_transient_fault_loses_and_duplicates_nothing(script_server, sleeps, source, fault):
    def make(request) -> Answer:
        if fault.isdigit():
            code = {"429": "429 Too Many Requests"}.get(fault, f"{fault} Server Error")
            return status(code, {"Retry-After": "3"} if fault == "429" else None)
        if fault == "truncated":
            return truncated(source)(request)
        if fault == "corrupt gzip":
            return corrupt_gzip(source)(request)
        if fault == "dropped":
            return dropped()
        path = request[1]
        moved = path + ("&" if "?" in path else "?") + "moved=1"
        return status("307 Temporary Redirect", {"Location": moved})

    base, served = script_server(source.script(once(source.faulty_request, make)))
    got = source.fetch(base, sleeps)
    assert_rows(got, source)
    assert len(served) == len(source.expected()) // ROWS + 1  # exactly one extra request
    if fault == "429":
        assert sleeps == [3.0]  # the server's Retry-After
    else:
        assert len(sleeps) == (0 if fault == "same-host 307" else 1)
        assert all(0 <= s <= RETRY.max_delay for s in sleeps)
    if fault == "same-host 307" and source.name == "engage":
        # the redirected POST carried the same report request, on the same host only
        assert served[source.faulty_request + 1][3] == served[source.faulty_request][3]


def test_leadflow_overlapping_pages_keep_one_row_per_sid(script_server, sleeps):
    source = Source(
        "leadflow", lambda r: leadflow_rows(r, overlap=True), "application/json", faulty_request=-1
    )
    base, _ = script_server(source.script(lambda n, request: None))
    with pytest.warns(DuplicateRowsWarning, match=r"2 rows with the same sid"):
        got = source.fetch(base, sleeps)
    assert_rows(got, source)


# --- faults that must fail, with the right error --------------------------------------------


@pytest.mark.parametrize(
    ("fault", "error", "message", "requests"),
    [
        ("503", ca.ServerError, r"503 .*after 3 attempts", 3),
        ("429", ca.RateLimitedError, r"429 .*after 3 attempts", 3),
        ("long Retry-After", ca.RateLimitedError, r"asked to wait 86400 s.*after 1 attempt\b", 1),
        ("truncated", ca.ResponseError, r"ended the response early.*after 3 attempts", 3),
        ("corrupt gzip", ca.ResponseError, r"corrupt compressed body.*after 3 attempts", 3),
        ("dropped", ca.ServerError, r"ConnectionError.*after 3 attempts", 3),
        ("trickle", ca.ServerError, r"stalled", 1),
    ],
)
def test_a_persistent_fault_fails_with_its_error(
    script_server, sleeps, source, fault, error, message, requests
):
    def make(request) -> Answer:
        return {
            "503": lambda: status("503 Service Unavailable"),
            "429": lambda: status("429 Too Many Requests", {"Retry-After": "1"}),
            "long Retry-After": lambda: status("429 Too Many Requests", {"Retry-After": "86400"}),
            "truncated": lambda: truncated(source)(request),
            "corrupt gzip": lambda: corrupt_gzip(source)(request),
            "dropped": dropped,
            "trickle": lambda: trickle(source)(request),
        }[fault]()

    base, served = script_server(source.script(always(make)))
    limits = TransferLimits(min_rate=1000.0, rate_window=0.3, deadline=600.0)
    with pytest.raises(error, match=message) as info:
        source.fetch(base, sleeps, limits=limits)
    assert len(served) == requests
    assert CANARY not in str(info.value)


def test_the_deadline_ends_a_call_across_its_retries(script_server, source):
    clock = FakeClock()
    base, served = script_server(
        source.script(always(lambda request: status("503 Busy", {"Retry-After": "20"})))
    )
    with pytest.raises(ca.ServerError, match=r"deadline of 50 s.*after 3 attempts"):
        source.fetch(
            base,
            clock.sleep,
            retry=RetryPolicy(attempts=10),
            limits=TransferLimits(deadline=50.0),
            clock=clock,
        )
    assert len(served) == 3 and clock.slept == [20.0, 20.0]


def test_redirect_to_another_host_sends_it_nothing(script_server, sleeps, source):
    other, stolen = script_server(lambda n, request: [http_response(b"{}")])
    base, served = script_server(
        source.script(
            once(
                source.faulty_request,
                lambda request: status("302 Found", {"Location": other + request[1]}),
            )
        )
    )
    with pytest.raises(ca.ResponseError, match="to another host"):
        source.fetch(base, sleeps)
    assert not stolen and len(served) == source.faulty_request + 1


def test_leadflow_next_link_to_another_host_sends_it_nothing(script_server, sleeps):
    other, stolen = script_server(lambda n, request: [http_response(b"{}")])
    source = sources()[1]

    def with_link(request) -> tuple[bytes, list[str]]:
        body, sids = leadflow_rows(request)
        return json.dumps(json.loads(body) | {"next": other + "/page-2"}).encode(), sids

    source.rows = with_link
    base, served = script_server(source.script(lambda n, request: None))
    with pytest.raises(ca.ResponseError, match="another host"):
        source.fetch(base, sleeps)
    assert not stolen and len(served) == 1


def test_leadflow_pagination_that_never_ends_is_an_error(script_server, sleeps):
    source = sources()[1]

    def ignores_page(request) -> tuple[bytes, list[str]]:
        body, sids = leadflow_rows(request)
        return json.dumps(json.loads(body) | {"page": 1}).encode(), sids

    source.rows = ignores_page
    base, served = script_server(source.script(lambda n, request: None))
    with pytest.raises(ca.ResponseError, match="page 1 again"):
        source.fetch(base, sleeps)
    assert len(served) == 2


def test_gzip_that_is_whole_is_read_whole(script_server, sleeps, source):
    def make(request) -> Answer:
        body, ids = source.rows(request)
        source.served_ids.extend(ids)
        packed = zlib.compress(body, wbits=31)
        return lambda: [
            http_response(
                packed, content_type=source.content_type, headers={"Content-Encoding": "gzip"}
            )
        ]

    base, _ = script_server(source.script(always(make)))
    assert_rows(source.fetch(base, sleeps), source)

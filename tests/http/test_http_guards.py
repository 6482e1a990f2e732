"""Regression tests for issue 9 items 5-11 and 19: pagination that loops, duplicate rows across
pages, credentials sent to other hosts, long Retry-After, stalls, corrupt gzip, URL user info
and plain HTTP, and errors that name the download rather than a temporary file."""

from __future__ import annotations

import gzip
import json
import logging
import zlib

import pytest
from werkzeug import Request, Response

import callanalytics as ca
from callanalytics.errors import DuplicateRowsWarning, InsecureUrlError
from callanalytics.sources import leadflow
from callanalytics.sources.engage_voice import EngageVoiceClient, fetch_dialer_results
from callanalytics.sources.http import HttpClient, RetryPolicy, TransferLimits, _Decoder
from callanalytics.sources.leadflow import LeadFlowClient, fetch_leadflow_history
from tests.builders import dialer_csv, leadflow_json
from tests.http.conftest import CANARY, FakeClock, http_response

LF_PATH = "/report/v1/leadflow/v2/history"
ACCOUNT = "4455"
EV_PATH = f"/voice/api/v1/admin/accounts/{ACCOUNT}/reportsStreaming"


def lf_client(base: str, sleeps, retry, **kwargs) -> LeadFlowClient:
    options = dict(
        base_url=base,
        access_key="access-1",
        secret_key=CANARY,
        api_key=CANARY + "-x",
        min_interval=0.0,
        retry=retry,
        sleep=sleeps,
    )
    return LeadFlowClient(**(options | kwargs))


def ev_client(base: str, sleeps, retry, **kwargs) -> EngageVoiceClient:
    options = dict(
        base_url=base + "/voice/api", account_id=ACCOUNT, token=CANARY, retry=retry, sleep=sleeps
    )
    return EngageVoiceClient(**(options | kwargs))


def page(sids: list[str], **meta) -> bytes:
    records = [
        {"call_date": "2024-10-01 10:00:00", "sid": sid, "affiliate": "BlueSky"} for sid in sids
    ]
    return json.dumps(json.loads(leadflow_json(records, wrap="response")) | meta).encode()


# --- 5. pagination loops ------------------------------------------------------------------


def test_next_link_to_itself_stops_with_an_error(httpserver, sleeps, quick_retry, cache_dir):
    me = httpserver.url_for(LF_PATH) + "?cursor=1"
    served = iter(range(100))  # a different row each time, so only the link repeats

    httpserver.expect_request(LF_PATH).respond_with_handler(
        lambda request: Response(
            page([f"s{next(served)}"], next=me), content_type="application/json"
        )
    )
    with pytest.raises(ca.ResponseError, match="next link repeats"):
        fetch_leadflow_history(
            "2024-10-01",
            "2024-10-02",
            client=lf_client(httpserver.url_for(""), sleeps, quick_retry),
        )
    assert len(httpserver.log) == 2  # the first page, then the link once


def test_server_that_ignores_page_stops_with_an_error(httpserver, sleeps, quick_retry, cache_dir):
    served = iter(range(100))  # a different row each time, so only the page number repeats

    httpserver.expect_request(LF_PATH).respond_with_handler(
        lambda request: Response(
            page([f"s{next(served)}"], page=1, total_pages=3), content_type="application/json"
        )
    )
    with pytest.raises(ca.ResponseError, match="page 1 again"):
        fetch_leadflow_history(
            "2024-10-01",
            "2024-10-02",
            client=lf_client(httpserver.url_for(""), sleeps, quick_retry),
        )
    assert len(httpserver.log) == 2


def test_page_that_repeats_the_previous_one_stops(httpserver, sleeps, quick_retry, cache_dir):
    def handler(request: Request) -> Response:
        cursor = int(request.args.get("cursor", 0))
        link = httpserver.url_for(LF_PATH) + f"?cursor={cursor + 1}"
        return Response(page(["a", "b"], next=link), content_type="application/json")

    httpserver.expect_request(LF_PATH).respond_with_handler(handler)
    with pytest.raises(ca.ResponseError, match="repeats the previous page"):
        fetch_leadflow_history(
            "2024-10-01",
            "2024-10-02",
            client=lf_client(httpserver.url_for(""), sleeps, quick_retry),
        )
    assert len(httpserver.log) == 2


def test_reaching_the_page_cap_raises(httpserver, sleeps, quick_retry, cache_dir, monkeypatch):
    monkeypatch.setattr(leadflow, "MAX_PAGES", 4)

    def handler(request: Request) -> Response:
        number = int(request.args.get("page", 1))
        return Response(
            page([f"s{number}"], page=number, total_pages=1000), content_type="application/json"
        )

    httpserver.expect_request(LF_PATH).respond_with_handler(handler)
    with pytest.raises(ca.ResponseError, match="more than 4 pages"):
        fetch_leadflow_history(
            "2024-10-01",
            "2024-10-02",
            client=lf_client(httpserver.url_for(""), sleeps, quick_retry),
        )
    assert len(httpserver.log) == 4


# --- 6. duplicates across pages -------------------------------------------------------------


def test_overlapping_pages_keep_one_row_per_sid(httpserver, sleeps, quick_retry, cache_dir):
    def handler(request: Request) -> Response:
        number = int(request.args.get("page", 1))
        sids = {1: ["a", "b"], 2: ["b", "c"], 3: ["c", "d"]}[number]
        return Response(page(sids, page=number, total_pages=3), content_type="application/json")

    httpserver.expect_request(LF_PATH).respond_with_handler(handler)
    with pytest.warns(DuplicateRowsWarning, match=r"2 rows with the same sid"):
        frame = fetch_leadflow_history(
            "2024-10-01",
            "2024-10-02",
            client=lf_client(httpserver.url_for(""), sleeps, quick_retry),
        )
    assert frame["sid"].to_list() == ["a", "b", "c", "d"]


# --- 7. credentials stay with their host ----------------------------------------------------


def test_next_link_to_another_host_gets_no_credentials(
    httpserver, script_server, sleeps, quick_retry, cache_dir
):
    other, served = script_server(lambda n, request: [http_response(page(["evil"]))])
    httpserver.expect_request(LF_PATH).respond_with_data(
        page(["a"], next=other + LF_PATH), content_type="application/json"
    )
    with pytest.raises(ca.ResponseError, match="another host") as info:
        fetch_leadflow_history(
            "2024-10-01",
            "2024-10-02",
            client=lf_client(httpserver.url_for(""), sleeps, quick_retry),
        )
    assert not served  # nothing at all went to the other host
    assert CANARY not in str(info.value)


def test_redirect_to_another_host_gets_no_credentials(
    httpserver, script_server, sleeps, quick_retry, cache_dir
):
    other, served = script_server(lambda n, request: [http_response(page(["evil"]))])
    httpserver.expect_request(LF_PATH).respond_with_data(
        "", status=302, headers={"Location": other + LF_PATH}
    )
    with pytest.raises(ca.ResponseError, match=r"redirected .* to another host"):
        fetch_leadflow_history(
            "2024-10-01",
            "2024-10-02",
            client=lf_client(httpserver.url_for(""), sleeps, quick_retry),
        )
    assert not served


def test_redirect_on_the_same_host_is_followed(httpserver, sleeps, quick_retry, cache_dir):
    httpserver.expect_request(LF_PATH).respond_with_data(
        "", status=302, headers={"Location": "/moved"}
    )
    httpserver.expect_request("/moved").respond_with_data(
        page(["a"]), content_type="application/json"
    )
    frame = fetch_leadflow_history(
        "2024-10-01", "2024-10-02", client=lf_client(httpserver.url_for(""), sleeps, quick_retry)
    )
    assert frame["sid"].to_list() == ["a"]


def test_token_request_is_never_resent_to_another_host(
    httpserver, script_server, sleeps, quick_retry, cache_dir
):
    other, served = script_server(
        lambda n, request: [http_response(json.dumps({"access_token": "stolen"}).encode())]
    )
    httpserver.expect_request("/restapi/oauth/token", method="POST").respond_with_data(
        "", status=307, headers={"Location": other + "/restapi/oauth/token"}
    )
    api = EngageVoiceClient(
        base_url=httpserver.url_for("/voice/api"),
        rc_server_url=httpserver.url_for(""),
        rc_client_id="client-id",
        rc_client_secret=CANARY,
        rc_jwt=CANARY + "-jwt",
        retry=quick_retry,
        sleep=sleeps,
    )
    with pytest.raises(ca.ResponseError, match=r"redirected .* to another host") as info:
        fetch_dialer_results("2024-04-22", "2024-04-23", client=api)
    assert not served and len(httpserver.log) == 1
    assert CANARY not in str(info.value)


# --- 8. Retry-After beyond the cap ----------------------------------------------------------


def test_retry_after_beyond_the_cap_fails_at_once(httpserver, sleeps, quick_retry, cache_dir):
    httpserver.expect_request(LF_PATH).respond_with_data(
        "", status=429, headers={"Retry-After": "86400"}
    )
    with pytest.raises(ca.RateLimitedError, match=r"asked to wait 86400 s.*after 1 attempt\b"):
        fetch_leadflow_history(
            "2024-10-01",
            "2024-10-02",
            client=lf_client(httpserver.url_for(""), sleeps, quick_retry),
        )
    assert len(httpserver.log) == 1 and sleeps == []


def test_attempts_are_counted_truthfully(httpserver, sleeps, cache_dir):
    httpserver.expect_request(EV_PATH).respond_with_data("down", status=503)
    retry = RetryPolicy(attempts=4, base_delay=0, max_delay=0)
    with pytest.raises(ca.ServerError, match=r"after 4 attempts"):
        fetch_dialer_results(
            "2024-04-22", "2024-04-23", client=ev_client(httpserver.url_for(""), sleeps, retry)
        )
    assert len(httpserver.log) == 4


# --- 9. stalls and deadlines ----------------------------------------------------------------


def trickle(body: bytes, pause: float):
    """A script that sends the head, then the body one byte at a time."""

    def script(n, request):
        head = http_response(body, content_type="text/csv")[: -len(body)]
        yield head
        for i in range(len(body)):
            __import__("time").sleep(pause)
            yield body[i : i + 1]

    return script


def test_a_trickling_body_fails_as_stalled(script_server, sleeps, quick_retry, cache_dir):
    body = dialer_csv([{"callID": "1", "call_start": "2024-04-22 10:00:00"}])
    base, served = script_server(trickle(body, 0.05))
    limits = TransferLimits(min_rate=1000.0, rate_window=0.3, deadline=600.0)
    api = ev_client(base, sleeps, quick_retry, limits=limits)
    with pytest.raises(ca.ServerError, match=r"stalled: .* below 1000 bytes/s for 0.3 s"):
        fetch_dialer_results("2024-04-22", "2024-04-23", client=api)
    assert len(served) == 1  # a stall is not retried: it would only multiply the wait


def test_a_body_that_goes_silent_fails_as_stalled(script_server, sleeps, quick_retry, cache_dir):
    """No byte at all for the rate window: stalled, without waiting for the long read timeout
    (meant for the server to start answering)."""
    body = dialer_csv([{"callID": "1", "call_start": "2024-04-22 10:00:00"}])

    def script(n, request):
        yield http_response(body, content_type="text/csv")[: -len(body) // 2]
        __import__("time").sleep(2)

    base, served = script_server(script)
    limits = TransferLimits(min_rate=1000.0, rate_window=0.3, deadline=600.0)
    api = ev_client(base, sleeps, quick_retry, limits=limits, timeout=(5.0, 60.0))
    with pytest.raises(ca.ServerError, match=r"stalled: no data for 0.3 s"):
        fetch_dialer_results("2024-04-22", "2024-04-23", client=api)
    assert len(served) == 1


def test_a_large_steady_body_still_streams(script_server, sleeps, quick_retry, cache_dir):
    rows = [
        {"callID": str(i), "call_start": "2024-04-22 10:00:00", "agent_id": "x" * 200}
        for i in range(20_000)
    ]
    body = dialer_csv(rows)
    assert len(body) > 4_000_000
    base, served = script_server(lambda n, request: [http_response(body, content_type="text/csv")])
    limits = TransferLimits(min_rate=1000.0, rate_window=0.3, deadline=600.0)
    frame = fetch_dialer_results(
        "2024-04-22", "2024-04-23", client=ev_client(base, sleeps, quick_retry, limits=limits)
    )
    assert frame.height == 20_000 and frame["callID"].n_unique() == 20_000
    assert len(served) == 1


def test_every_call_has_an_overall_deadline(httpserver, cache_dir):
    clock = FakeClock()
    httpserver.expect_request(LF_PATH).respond_with_data(
        "", status=503, headers={"Retry-After": "100"}
    )
    api = lf_client(
        httpserver.url_for(""),
        clock.sleep,
        RetryPolicy(attempts=10, max_retry_after=300),
        clock=clock,
        limits=TransferLimits(deadline=250.0),
    )
    with pytest.raises(ca.ServerError, match=r"deadline of 250 s.*after 3 attempts"):
        fetch_leadflow_history("2024-10-01", "2024-10-02", client=api)
    assert len(httpserver.log) == 3 and clock.slept == [100.0, 100.0]


# --- 10. corrupt gzip -----------------------------------------------------------------------


def test_corrupt_gzip_is_retried_then_a_response_error(httpserver, sleeps, quick_retry, cache_dir):
    garbage = gzip.compress(leadflow_json([{"sid": "a"}]))[:10] + b"\x00not-deflate" * 50
    httpserver.expect_request(LF_PATH).respond_with_data(
        garbage, headers={"Content-Encoding": "gzip"}, content_type="application/json"
    )
    with pytest.raises(ca.ResponseError, match=r"corrupt compressed body.*after 3 attempts"):
        fetch_leadflow_history(
            "2024-10-01",
            "2024-10-02",
            client=lf_client(httpserver.url_for(""), sleeps, quick_retry),
        )
    assert len(httpserver.log) == 3


def test_gzip_cut_inside_the_compressed_stream_is_not_taken_for_the_whole(
    script_server, sleeps, quick_retry
):
    """Content-Length matches the bytes sent, but the gzip stream inside stops before its
    end marker (a proxy that gave up): the part must not pass for the whole body."""
    body = leadflow_json([{"sid": f"s{i}", "call_date": "2024-10-01 10:00:00"} for i in range(400)])
    packed = gzip.compress(body)
    cut = packed[: len(packed) * 2 // 3]
    base, served = script_server(
        lambda n, request: [http_response(cut, headers={"Content-Encoding": "gzip"})]
    )
    http = HttpClient("Test", retry=quick_retry, sleep=sleeps)
    with pytest.raises(ca.ResponseError, match=r"corrupt compressed body.*after 3 attempts"):
        http.request("GET", base + "/x")
    assert len(served) == 3


def test_one_retry_loop_bounds_requests_per_day(script_server, sleeps, quick_retry, cache_dir):
    body = dialer_csv([{"callID": "1", "call_start": "2024-04-22 10:00:00"}])
    cut = http_response(body, content_type="text/csv", length=len(body) + 500)
    base, served = script_server(lambda n, request: [cut])
    with pytest.raises(ca.ResponseError, match=r"ended the response early.*after 3 attempts"):
        fetch_dialer_results(
            "2024-04-22", "2024-04-23", client=ev_client(base, sleeps, quick_retry)
        )
    assert len(served) == 3  # not 3 x 3


# --- 11. URL user info and plain HTTP -------------------------------------------------------


def test_user_info_in_the_base_url_is_never_printed(httpserver, sleeps, quick_retry, caplog):
    caplog.set_level(logging.DEBUG)
    httpserver.expect_request(LF_PATH).respond_with_data("", status=500)
    base = httpserver.url_for("").replace("http://", f"http://user:{CANARY}@")
    api = lf_client(base, sleeps, quick_retry)
    with pytest.raises(ca.ServerError) as info:
        fetch_leadflow_history("2024-10-01", "2024-10-02", client=api, cache=False)
    assert CANARY not in str(info.value) and CANARY not in info.value.url
    assert "user" not in info.value.url
    assert caplog.records and all(CANARY not in r.getMessage() for r in caplog.records)
    assert CANARY not in repr(api)


@pytest.mark.parametrize(
    "url",
    ["http://dialogtechapis.com", "http://10.0.0.5:8080", "ftp://example.com"],
)
def test_plain_http_base_urls_are_refused(url):
    with pytest.raises(InsecureUrlError, match="https"):
        LeadFlowClient(base_url=url, access_key="a", secret_key="s")
    with pytest.raises(InsecureUrlError, match="https"):
        EngageVoiceClient(base_url=url, token="t", account_id="1")
    with pytest.raises(InsecureUrlError, match="https"):
        EngageVoiceClient(rc_server_url=url, token="t", account_id="1")


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8080", "http://localhost", "http://[::1]:9000", "https://x.example"]
)
def test_https_and_loopback_base_urls_are_accepted(url):
    assert LeadFlowClient(base_url=url).base_url == url


# --- 19. errors that name the download ------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        b'{"errorCode": "REPORT_FAILED", "message": "internal"}',
        b'<?xml version="1.0"?><error><message>denied</message></error>',
    ],
)
def test_engage_error_body_with_status_200_names_url_and_day(
    httpserver, sleeps, quick_retry, cache_dir, body
):
    httpserver.expect_request(EV_PATH).respond_with_data(body, content_type="application/json")
    with pytest.raises(ca.ResponseError) as info:
        fetch_dialer_results(
            "2024-04-22",
            "2024-04-23",
            client=ev_client(httpserver.url_for(""), sleeps, quick_retry),
        )
    message = str(info.value)
    assert EV_PATH in message and "2024-04-22" in message
    assert "callanalytics-" not in message and "/tmp" not in message


def test_a_bad_value_in_a_download_names_url_and_day(httpserver, sleeps, quick_retry, cache_dir):
    httpserver.expect_request(EV_PATH).respond_with_data(
        dialer_csv([{"callID": "1", "call_start": "2024-04-22 10:00:00", "duration": "abc"}]),
        content_type="text/csv",
    )
    with pytest.raises(ca.SchemaError, match="duration") as info:
        fetch_dialer_results(
            "2024-04-22",
            "2024-04-23",
            client=ev_client(httpserver.url_for(""), sleeps, quick_retry),
        )
    message = str(info.value)
    assert EV_PATH in message and "2024-04-22" in message
    assert "callanalytics-" not in message and "dialer_results.csv" not in message


def test_a_refused_login_says_the_login_was_refused(httpserver, sleeps, quick_retry, cache_dir):
    httpserver.expect_request("/restapi/oauth/token").respond_with_data("bad jwt", status=400)
    api = EngageVoiceClient(
        base_url=httpserver.url_for("/voice/api"),
        rc_server_url=httpserver.url_for(""),
        rc_client_id="client-id",
        rc_client_secret=CANARY,
        rc_jwt=CANARY,
        retry=quick_retry,
        sleep=sleeps,
    )
    with pytest.raises(ca.RequestRejectedError, match="RingCentral login was refused") as info:
        fetch_dialer_results("2024-04-22", "2024-04-23", client=api)
    assert "report criteria" not in str(info.value) and CANARY not in str(info.value)


def _raw_deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(wbits=-15)
    return packer.compress(data) + packer.flush()


BODY = b"".join(b"%d,abc,%d\r\n" % (i, i * i) for i in range(3000))


@pytest.mark.parametrize("step", [1, 7, 65536])
@pytest.mark.parametrize(
    ("encoding", "packed"),
    [
        ("gzip", gzip.compress(BODY)),
        ("gzip", gzip.compress(BODY[:100]) + gzip.compress(BODY[100:])),  # two members
        ("gzip", gzip.compress(BODY) + b"\n"),  # a trailing byte, as gzip ignores it
        ("deflate", zlib.compress(BODY)),
        ("deflate", _raw_deflate(BODY)),
        ("identity", BODY),
        ("", BODY),
    ],
)
def test_decoder_reads_every_whole_body(encoding, packed, step):
    decoder = _Decoder(encoding)
    out = b"".join(decoder.feed(packed[i : i + step]) for i in range(0, len(packed), step))
    assert out + decoder.finish() == BODY


@pytest.mark.parametrize(
    ("encoding", "packed"),
    [
        ("gzip", gzip.compress(BODY)),
        ("deflate", zlib.compress(BODY)),
        ("deflate", _raw_deflate(BODY)),
    ],
)
@pytest.mark.parametrize("keep", [1 / 3, 0.9, -1])
def test_decoder_refuses_a_cut_stream(encoding, packed, keep):
    cut = packed[: int(len(packed) * keep) if keep > 0 else keep]
    decoder = _Decoder(encoding)
    with pytest.raises(zlib.error):
        decoder.feed(cut)
        decoder.finish()


def test_a_bad_leadflow_value_names_the_page_url_and_window(
    httpserver, sleeps, quick_retry, cache_dir
):
    records = [{"call_date": "2024-10-01 10:00:00", "sid": "a", "offer_price": "abc"}]
    httpserver.expect_request(LF_PATH).respond_with_data(
        leadflow_json(records, wrap="response"), content_type="application/json"
    )
    with pytest.raises(ca.SchemaError, match="offer_price") as info:
        fetch_leadflow_history(
            "2024-10-01",
            "2024-10-02",
            client=lf_client(httpserver.url_for(""), sleeps, quick_retry),
        )
    message = str(info.value)
    assert f"page 1 from {httpserver.url_for(LF_PATH)}" in message
    assert "2024-10-01T00:00:00-04:00..2024-10-02T00:00:00-04:00" in message

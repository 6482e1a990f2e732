"""A connection that cannot be made (refused, name not resolved) names the setting to check;
a connection the server drops mid-answer still says to try again later."""

from __future__ import annotations

import socket

import pytest
import requests
import urllib3

import callanalytics as ca
from callanalytics.sources.engage_voice import EngageVoiceClient, fetch_dialer_results
from callanalytics.sources.http import HttpClient, RetryPolicy, cannot_connect
from callanalytics.sources.leadflow import LeadFlowClient, fetch_leadflow_history
from tests.http.conftest import CANARY


@pytest.fixture
def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_engage_voice_names_its_base_url_variable(
    monkeypatch, closed_port, sleeps, quick_retry, cache_dir
):
    monkeypatch.setenv("ENGAGE_VOICE_BASE_URL", f"http://127.0.0.1:{closed_port}/voice/api")
    api = EngageVoiceClient(account_id="9", token=CANARY, retry=quick_retry, sleep=sleeps)
    with pytest.raises(ca.ServerError) as info:
        fetch_dialer_results("2024-04-22", "2024-04-23", client=api)
    message = str(info.value)
    assert "could not connect" in message and "check ENGAGE_VOICE_BASE_URL" in message
    assert "after 3 attempts" in message and CANARY not in message


def test_the_login_names_the_ringcentral_server_variable(
    closed_port, sleeps, quick_retry, cache_dir
):
    api = EngageVoiceClient(
        base_url="http://127.0.0.1:1/voice/api",
        rc_server_url=f"http://127.0.0.1:{closed_port}",
        rc_client_id="client-id",
        rc_client_secret=CANARY,
        rc_jwt=CANARY,
        retry=quick_retry,
        sleep=sleeps,
    )
    with pytest.raises(ca.ServerError) as info:
        fetch_dialer_results("2024-04-22", "2024-04-23", client=api)
    message = str(info.value)
    assert "check RINGCENTRAL_SERVER_URL" in message
    assert "ENGAGE_VOICE_BASE_URL" not in message and CANARY not in message


def test_the_engage_token_exchange_names_the_engage_base_url(
    httpserver, closed_port, sleeps, quick_retry, cache_dir
):
    httpserver.expect_request("/restapi/oauth/token").respond_with_json({"access_token": "rc"})
    api = EngageVoiceClient(
        base_url=f"http://127.0.0.1:{closed_port}/voice/api",
        rc_server_url=httpserver.url_for(""),
        rc_client_id="client-id",
        rc_client_secret=CANARY,
        rc_jwt=CANARY,
        retry=quick_retry,
        sleep=sleeps,
    )
    with pytest.raises(ca.ServerError) as info:
        fetch_dialer_results("2024-04-22", "2024-04-23", client=api)
    message = str(info.value)
    assert "check ENGAGE_VOICE_BASE_URL" in message and "RINGCENTRAL" not in message


def test_dialogtech_names_its_base_url_variable(
    monkeypatch, closed_port, sleeps, quick_retry, cache_dir
):
    monkeypatch.setenv("DIALOGTECH_BASE_URL", f"http://127.0.0.1:{closed_port}")
    api = LeadFlowClient(
        access_key="a", secret_key=CANARY, min_interval=0.0, retry=quick_retry, sleep=sleeps
    )
    with pytest.raises(ca.ServerError) as info:
        fetch_leadflow_history("2024-10-01", "2024-10-02", client=api)
    message = str(info.value)
    assert "could not connect" in message and "check DIALOGTECH_BASE_URL" in message


class _NoSuchHost(requests.Session):
    """A session whose every request fails as a name that does not resolve (no DNS query)."""

    def request(self, *args, **kwargs):
        reason = urllib3.exceptions.NameResolutionError("nowhere.invalid", None, OSError())
        raise requests.ConnectionError(urllib3.exceptions.MaxRetryError(None, "/", reason=reason))


def test_a_name_that_does_not_resolve_gets_the_hint_too(sleeps):
    client = HttpClient(
        "Example",
        session=_NoSuchHost(),
        retry=RetryPolicy(attempts=2, base_delay=0.0, max_delay=0.0),
        hints=cannot_connect("EXAMPLE_URL"),
        sleep=sleeps,
    )
    with pytest.raises(
        ca.ServerError, match=r"after 2 attempts; could not connect: check EXAMPLE_URL"
    ):
        client.request("GET", "https://nowhere.invalid/x")

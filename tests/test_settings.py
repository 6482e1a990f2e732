"""The settings tables: one declaration per setting, read by the clients, their error hints
and the README."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from callanalytics.config import (
    DIALOGTECH_SETTINGS,
    ENGAGE_VOICE_SETTINGS,
    ENV_FILE_VARIABLE,
    PACKAGE_SETTINGS,
    Secret,
    Setting,
    SettingsTable,
    cache_dir,
    settings_markdown,
)
from callanalytics.sources import engage_voice, leadflow
from callanalytics.sources.engage_voice import EngageVoiceClient
from callanalytics.sources.http import AuthenticationError
from callanalytics.sources.leadflow import LeadFlowClient

README = Path(__file__).resolve().parents[1] / "README.md"
CLIENTS = [(ENGAGE_VOICE_SETTINGS, EngageVoiceClient), (DIALOGTECH_SETTINGS, LeadFlowClient)]
DECLARED = {item.variable for table in (*dict(CLIENTS), PACKAGE_SETTINGS) for item in table}
VARIABLE = re.compile(r"\b(?:ENGAGE_VOICE|RINGCENTRAL|DIALOGTECH|CALLANALYTICS)_[A-Z_]+\b")


@pytest.fixture(autouse=True)
def clean(monkeypatch, tmp_path):
    for name in (*DECLARED, ENV_FILE_VARIABLE):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


def readme_settings_table() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("Settings come from arguments")
    section = text[start : text.index("Credentials are held in objects", start)]
    return "".join(line for line in section.splitlines(keepends=True) if line.startswith("|"))


def test_the_readme_settings_table_is_the_declared_one():
    assert readme_settings_table() == settings_markdown()


def test_every_declared_variable_has_a_readme_row():
    rows = settings_markdown()
    for variable in (*DECLARED, ENV_FILE_VARIABLE):
        assert rows.count(f"| `{variable}` |") == 1, variable


@pytest.mark.parametrize(("table", "client"), CLIENTS, ids=["engage", "dialogtech"])
def test_each_environment_variable_reaches_its_client_attribute(table, client, monkeypatch):
    for item in table:
        value = "https://127.0.0.1:8443/x" if item.default else f"value-of-{item.variable}"
        monkeypatch.setenv(item.variable, value)
    made = client()
    for item in table:
        got = getattr(made, item.name)
        if item.secret:
            assert isinstance(got, Secret) and got.reveal() == f"value-of-{item.variable}"
        elif item.default:
            assert got == "https://127.0.0.1:8443/x"
        else:
            assert got == f"value-of-{item.variable}"


@pytest.mark.parametrize(("table", "client"), CLIENTS, ids=["engage", "dialogtech"])
def test_argument_then_environment_then_dotenv_then_default(table, client, monkeypatch, tmp_path):
    base = table["base_url"]
    assert client().base_url == base.default
    (tmp_path / ".env").write_text(f"{base.variable}=https://from-dotenv.example\n")
    assert client().base_url == "https://from-dotenv.example"
    monkeypatch.setenv(base.variable, "https://from-environment.example/")
    assert client().base_url == "https://from-environment.example"
    assert client(base_url="https://from-argument.example").base_url == (
        "https://from-argument.example"
    )


def test_the_cache_folder_setting_is_declared_once(monkeypatch, tmp_path):
    monkeypatch.setenv(PACKAGE_SETTINGS.variable("cache_dir"), str(tmp_path / "c"))
    assert cache_dir() == tmp_path / "c"
    assert cache_dir(tmp_path / "arg") == tmp_path / "arg"


def hint_texts() -> list[str]:
    texts = [
        *engage_voice.HINTS.values(),
        *engage_voice.LOGIN_HINTS.values(),
        *leadflow.HINTS.values(),
    ]
    for make in (
        lambda: EngageVoiceClient().report_url,
        lambda: EngageVoiceClient().login(),
        lambda: EngageVoiceClient(token="t", account_id="1")._refresh(),
        lambda: LeadFlowClient()._headers(),
    ):
        with pytest.raises(AuthenticationError) as info:
            make()
        texts.append(str(info.value))
    return texts


def test_hints_name_only_declared_variables_and_the_right_ones():
    texts = hint_texts()
    named = {name for text in texts for name in VARIABLE.findall(text)}
    assert named <= DECLARED
    assert engage_voice.HINTS[401] == (
        "check ENGAGE_VOICE_TOKEN, or "
        "RINGCENTRAL_CLIENT_ID/RINGCENTRAL_CLIENT_SECRET/RINGCENTRAL_JWT"
    )
    assert leadflow.HINTS[403] == (
        "check DIALOGTECH_ACCESS_KEY/DIALOGTECH_SECRET_KEY and DIALOGTECH_API_KEY"
    )
    assert leadflow.HINTS[404] == "check DIALOGTECH_BASE_URL"


def test_a_renamed_variable_renames_the_hint(monkeypatch):
    renamed = SettingsTable(
        "Example",
        "Client",
        (Setting("access_key", "EXAMPLE_ACCESS", secret=True), Setting("base_url", "EXAMPLE_URL")),
    )
    assert renamed.variables("access_key", "base_url") == "EXAMPLE_ACCESS and EXAMPLE_URL"
    assert renamed.variables("access_key", "base_url", sep="/") == "EXAMPLE_ACCESS/EXAMPLE_URL"
    with pytest.raises(KeyError, match="no setting 'api_key'"):
        renamed.variable("api_key")


def test_a_table_refuses_a_setting_declared_twice():
    with pytest.raises(ValueError, match="declared twice"):
        SettingsTable("Example", "Client", (Setting("a", "X"), Setting("a", "Y")))


def test_a_secret_passed_for_a_plain_setting_is_refused():
    with pytest.raises(TypeError, match="RINGCENTRAL_CLIENT_ID"):
        EngageVoiceClient(rc_client_id=Secret("id"))  # type: ignore[arg-type]

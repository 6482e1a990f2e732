"""Settings: arguments, then the environment, then the ``.env`` of the working directory
(or an explicitly named file), never a ``.env`` found further up the tree."""

from __future__ import annotations

import logging

import pytest

from callanalytics.config import ENV_FILE_VARIABLE, secret, setting

NAME = "CALLANALYTICS_TEST_SETTING"


@pytest.fixture(autouse=True)
def clean(monkeypatch):
    monkeypatch.delenv(NAME, raising=False)
    monkeypatch.delenv(ENV_FILE_VARIABLE, raising=False)


def test_a_dotenv_above_the_working_directory_is_not_read(tmp_path, monkeypatch):
    (tmp_path / ".env").write_text(f"{NAME}=https://elsewhere.example\n")
    below = tmp_path / "project" / "notebooks"
    below.mkdir(parents=True)
    monkeypatch.chdir(below)
    assert setting(NAME) is None
    assert setting(NAME, default="fallback") == "fallback"


def test_the_working_directory_dotenv_is_read_and_logged(tmp_path, monkeypatch, caplog):
    (tmp_path / ".env").write_text(f"{NAME}=from-cwd\n")
    monkeypatch.chdir(tmp_path)
    caplog.set_level(logging.INFO, logger="callanalytics.config")
    assert setting(NAME) == "from-cwd"
    messages = [r.getMessage() for r in caplog.records if r.name == "callanalytics.config"]
    assert messages == [f"read settings from {tmp_path / '.env'}"]


def test_an_explicit_env_file_wins_over_the_working_directory(tmp_path, monkeypatch, caplog):
    (tmp_path / ".env").write_text(f"{NAME}=from-cwd\n")
    chosen = tmp_path / "conf" / "prod.env"
    chosen.parent.mkdir()
    chosen.write_text(f"{NAME}=from-explicit\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(ENV_FILE_VARIABLE, str(chosen))
    caplog.set_level(logging.INFO, logger="callanalytics.config")
    assert setting(NAME) == "from-explicit"
    assert [r.getMessage() for r in caplog.records if r.name == "callanalytics.config"] == [
        f"read settings from {chosen}"
    ]


def test_a_missing_explicit_env_file_is_an_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(ENV_FILE_VARIABLE, str(tmp_path / "nope.env"))
    with pytest.raises(FileNotFoundError, match=rf"{ENV_FILE_VARIABLE}.*nope\.env"):
        setting(NAME)


def test_arguments_then_environment_then_dotenv(tmp_path, monkeypatch):
    (tmp_path / ".env").write_text(f"{NAME}=from-dotenv\n")
    monkeypatch.chdir(tmp_path)
    assert setting(NAME, "from-argument") == "from-argument"
    monkeypatch.setenv(NAME, "from-environment")
    assert setting(NAME) == "from-environment"
    monkeypatch.delenv(NAME)
    value = secret(NAME)
    assert value is not None and value.reveal() == "from-dotenv"
    assert "from-dotenv" not in repr(value)

"""Progress bars: shown to people, silent for schedulers."""

from __future__ import annotations

from callanalytics.progress import QUIET_VARIABLE, track, wants_progress


def test_explicit_choice_wins(monkeypatch):
    monkeypatch.setenv("CI", "true")
    assert wants_progress(True) is True
    assert wants_progress(False) is False


def test_silent_under_ci_and_under_the_report_runner(monkeypatch):
    monkeypatch.delenv(QUIET_VARIABLE, raising=False)
    monkeypatch.setenv("CI", "true")
    assert wants_progress(None) is False
    monkeypatch.delenv("CI")
    monkeypatch.setenv(QUIET_VARIABLE, "0")
    assert wants_progress(None) is False


def test_track_yields_every_item_with_or_without_a_bar(capsys):
    assert list(track(iter([1, 2, 3]), 3, "days", False)) == [1, 2, 3]
    assert list(track(iter([1, 2]), 2, "days", True)) == [1, 2]
    assert "days" in capsys.readouterr().err

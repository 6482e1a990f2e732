"""The command line, run in-process and as `python -m callanalytics`."""

from __future__ import annotations

import subprocess
import sys

import polars as pl

from callanalytics.cli import main


def test_sample_command_writes_every_format(tmp_path, capsys):
    assert (
        main(
            [
                "sample",
                "--output-dir",
                str(tmp_path),
                "--dialer-rows",
                "300",
                "--leadflow-rows",
                "200",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "300 dial attempts" in out and "200 calls" in out
    assert pl.read_parquet(tmp_path / "dialer_results.parquet").height == 300
    assert (tmp_path / "leadflow_history.json").stat().st_size > 0


def test_python_dash_m_runs_the_command():
    result = subprocess.run(
        [sys.executable, "-m", "callanalytics", "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0 and "sample" in result.stdout


def _error_line(capsys) -> str:
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err  # one line, no traceback
    assert "Traceback" not in captured.err
    return lines[0]


def test_an_output_dir_that_is_a_file_is_one_line_and_exit_1(tmp_path, capsys):
    a_file = tmp_path / "reports"
    a_file.write_text("not a folder")
    assert main(["sample", "--output-dir", str(a_file), "--dialer-rows", "10"]) == 1
    line = _error_line(capsys)
    assert line.startswith("callanalytics: error:") and str(a_file) in line
    assert "not a folder" in line or "exists" in line


def test_an_output_dir_below_a_file_is_one_line_and_exit_1(tmp_path, capsys):
    a_file = tmp_path / "reports"
    a_file.write_text("not a folder")
    below = a_file / "november"
    assert main(["report", "speed-to-lead", "--output-dir", str(below)]) == 1
    line = _error_line(capsys)
    assert line.startswith("callanalytics: error:") and str(below) in line


def test_any_os_error_is_one_line_and_exit_1(tmp_path, capsys, monkeypatch):
    import callanalytics.sample

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(tmp_path / "dialer_results.csv"))

    monkeypatch.setattr(callanalytics.sample, "write_sample_files", refuse)
    assert main(["sample", "--output-dir", str(tmp_path)]) == 1
    line = _error_line(capsys)
    assert "Permission denied" in line and "dialer_results.csv" in line


def test_sample_command_prints_the_reports_margin_and_reconciles_leadflows(tmp_path, capsys):
    """Issue 10.5: the command printed the sum of LeadFlow's own margin column while the
    report says offer price minus payout of qualified calls; one definition, one figure."""
    from callanalytics import metrics

    assert main(["sample", "--output-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    traffic = pl.read_parquet(tmp_path / "leadflow_history.parquet")
    ours = metrics.margin_summary(traffic)["margin"][0]
    reported = traffic["margin"].sum()
    assert ours != reported  # the sample has calls whose reported margin disagrees
    assert f"margin ${ours:,.2f}" in out
    assert f"${reported:,.2f}" in out and "LeadFlow's own margin column" in out


def test_an_unknown_report_name_is_a_command_line_error_with_the_choices(capsys):
    """QA: `report bogus` exited 1 (failed) where the README reserves 2 for a bad command
    line; the choices now come from the report registry, the new reports included."""
    import pytest

    with pytest.raises(SystemExit) as exit_info:
        main(["report", "bogus"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    for name in ("speed-to-lead", "lead-funnel", "compliance", "data-quality", "all"):
        assert name in err

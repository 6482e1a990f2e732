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

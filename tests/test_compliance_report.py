"""The compliance and data-quality reports: what --fail-on sees, computed from the loaded data,
the inputs of the data-quality checks, and the exit status of a scheduled run (issue 13)."""

from __future__ import annotations

import polars as pl
import pytest

import callanalytics as ca
import callanalytics.report as report_module
from callanalytics.cli import EXIT_FAILED, EXIT_FINDINGS, EXIT_NO_DATA, EXIT_OK, main
from callanalytics.report import (
    PreparedReport,
    RenderedReport,
    prepare_report,
    quality_inputs,
    report_findings,
)
from tests.builders import dialer_csv

WEEK = {"start": "2024-11-01", "end": "2024-11-08"}


@pytest.fixture
def rendered(monkeypatch):
    """Notebook execution replaced by a recorder: the CLI logic runs, no kernel starts."""
    calls: list[PreparedReport] = []

    def record(prepared: PreparedReport, output_dir) -> RenderedReport:
        calls.append(prepared)
        stem = report_module.Path(output_dir) / prepared.name
        return RenderedReport(
            prepared.name, stem.with_suffix(".ipynb"), stem.with_suffix(".html"), prepared.rows
        )

    monkeypatch.setattr(report_module, "render_prepared", record)
    return calls


def _report(tmp_path, *args: str) -> int:
    return main(["report", *args, "--output-dir", str(tmp_path / "out")])


def test_findings_are_the_failed_rules_of_the_loaded_window():
    prepared = prepare_report("compliance", **WEEK)
    calls = ca.load_dialer_results("sample", **WEEK)
    summary = ca.metrics.compliance_summary(calls)
    expected = summary.filter(pl.col("status") == "fail")["rule"].to_list()
    assert expected  # the sample breaks rules on purpose
    assert report_findings(prepared) == expected


def test_findings_follow_the_report_parameters():
    loose = prepare_report("compliance", **WEEK, parameters={"abandon_limit": 0.2})
    assert "abandonment" not in report_findings(loose)
    assert "abandonment" in report_findings(prepare_report("compliance", **WEEK))


def test_an_empty_window_and_other_reports_have_no_findings():
    assert report_findings(prepare_report("compliance", start="2030-01-01", end="2030-01-08")) == []
    assert report_findings(prepare_report("speed-to-lead", **WEEK)) == []


def test_quality_findings_name_their_source_and_check():
    found = report_findings(prepare_report("data-quality"))
    assert "dialer: duplicate_call_id" in found and "leadflow: duplicate_sid" in found
    assert all(not item.endswith("outside_window") for item in found)


def test_fail_on_violations_exits_4_and_prints_the_rules(tmp_path, capsys, rendered):
    status = _report(tmp_path, "compliance", "--fail-on", "violations")
    assert status == EXIT_FINDINGS == 4
    out = capsys.readouterr().out
    assert "compliance: 4 rule(s) failed: calling_hours, abandonment" in out
    assert [r.name for r in rendered] == ["compliance"]  # the report still renders
    assert _report(tmp_path, "compliance") == EXIT_OK  # without --fail-on, findings are news


def test_fail_on_without_findings_keeps_the_other_statuses(tmp_path, capsys, rendered):
    week = ["--start", "2030-01-01", "--end", "2030-01-08"]
    assert _report(tmp_path, "compliance", "--fail-on", "violations", *week) == EXIT_NO_DATA
    assert "compliance: no findings" in capsys.readouterr().out
    loose = ["-p", "abandon_limit=0.5", "-p", 'dnc_dispositions=["Never said"]']
    rules = ["-p", "rules=" + str(_lenient_rules(tmp_path))]
    status = _report(tmp_path, "compliance", "--fail-on", "violations", *loose, *rules)
    assert status == EXIT_OK, capsys.readouterr()


def _lenient_rules(tmp_path):
    path = tmp_path / "rules.csv"
    path.write_text(
        "code,name,start,end,sunday_start,sunday_end,max_calls_24h,max_calls_30d,citation,note\n"
        "US,Everywhere,00:00,23:59,,,,,house rule,any hour\n",
        encoding="utf-8",
    )
    return path


def test_fail_on_quality_and_a_failure_outranks_findings(tmp_path, capsys, monkeypatch):
    def fail(prepared, output_dir):
        raise report_module.ReportError(f"report {prepared.name!r} failed in cell 3")

    monkeypatch.setattr(report_module, "render_prepared", fail)
    status = _report(tmp_path, "data-quality", "--fail-on", "quality")
    assert status == EXIT_FAILED
    assert "data-quality: " in capsys.readouterr().out


def test_fail_on_a_report_that_is_not_run_is_refused(tmp_path, capsys, rendered):
    assert _report(tmp_path, "speed-to-lead", "--fail-on", "violations") == EXIT_FAILED
    assert "--fail-on violations needs the compliance report" in capsys.readouterr().err
    assert rendered == []


def test_help_documents_the_findings_status(capsys):
    with pytest.raises(SystemExit):
        main(["report", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "4 findings (only with --fail-on)" in text and "--fail-on {quality,violations}" in text


def test_quality_inputs_count_what_the_reader_saw_in_a_file(tmp_path, one_call):
    path = tmp_path / "export.csv"
    path.write_bytes(dialer_csv([one_call, one_call | {"duration": "soon"}]))
    inputs = quality_inputs("dialer", str(path), "2024-11-03")
    assert inputs.read_report.coerced == {"duration": 1}
    assert inputs.baseline is None and "no earlier days" in inputs.baseline_note
    sample = quality_inputs("leadflow", "sample", "2024-10-28", baseline_days=3)
    assert sample.read_report.repeated == {"call_date": 7}  # 1:00-2:00 on 3 November, twice
    days = sample.baseline["call_date"].dt.date()
    assert str(days.min()) == "2024-10-25" and str(days.max()) == "2024-10-27"
    parquet = tmp_path / "export.parquet"
    ca.read_dialer_results(dialer_csv([one_call])).write_parquet(parquet)
    assert quality_inputs("dialer", str(parquet), "2024-11-03").read_report is None

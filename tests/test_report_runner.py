"""The report runner and `callanalytics report`: checks before any kernel starts, the window
it settles and prints, the sources each report reads, and the exit statuses.

Most tests stop before papermill (rendering is replaced by a recorder); the few marked
`notebooks` execute real notebooks end to end.
"""

from __future__ import annotations

import logging
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

import callanalytics as ca
import callanalytics.report as report_module
import callanalytics.report.loading as loading_module
from callanalytics.cli import (
    EXIT_FAILED,
    EXIT_NO_DATA,
    EXIT_OK,
    main,
    report_sources,
    second_sources,
)
from callanalytics.errors import CallAnalyticsError
from callanalytics.load import FilterError
from callanalytics.report import (
    PLAIN_TCP_NOTICE,
    PlainTcpNoticeFilter,
    PreparedReport,
    RenderedReport,
    ReportError,
    prepare_report,
    render_prepared,
    render_report,
)


@pytest.fixture
def rendered(monkeypatch, tmp_path):
    """Replace notebook execution with a recorder: the CLI logic runs, no kernel starts."""
    calls: list[PreparedReport] = []

    def record(prepared: PreparedReport, output_dir) -> RenderedReport:
        calls.append(prepared)
        stem = Path(output_dir) / f"{prepared.name}_{prepared.start}_{prepared.end}"
        return RenderedReport(
            prepared.name,
            stem.with_suffix(".ipynb"),
            stem.with_suffix(".html"),
            prepared.rows,
            prepared.window,
        )

    monkeypatch.setattr(report_module, "render_prepared", record)
    return calls


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("exports")
    return ca.write_sample_files(folder, n_dialer=300, n_leadflow=200)


def _report(tmp_path, *args: str) -> int:
    return main(["report", *args, "--output-dir", str(tmp_path / "out")])


# --- 10.10: the runner's own names are refused in -p ---------------------------------------


@pytest.mark.parametrize(
    ("parameter", "option"),
    [
        ("start=2020-01-01", "--start"),
        ("end=2020-01-08", "--end"),
        ("source=/tmp/other.csv", "--source"),
        ("dialer=/tmp/other.csv", "--dialer"),
        ("leadflow=/tmp/other.json", "--leadflow"),
    ],
)
def test_window_and_source_parameters_are_refused_in_p(
    tmp_path, capsys, rendered, parameter, option
):
    assert _report(tmp_path, "speed-to-lead", "-p", parameter) == EXIT_FAILED
    err = capsys.readouterr().err
    assert "refusing parameter" in err and f"use {option}" in err
    assert rendered == [] and not (tmp_path / "out").exists()


def test_the_library_refuses_them_too(tmp_path):
    with pytest.raises(ReportError, match=r"--start instead of -p start="):
        render_report("speed-to-lead", output_dir=tmp_path, parameters={"start": "2020-01-01"})


# --- 10.11: -p values are checked against the type of their default -------------------------


def test_a_value_of_the_wrong_type_fails_at_once_naming_parameter_type_and_value(
    tmp_path, capsys, rendered
):
    assert _report(tmp_path, "agent-performance", "-p", "min_calls=ten") == EXIT_FAILED
    err = capsys.readouterr().err.strip()
    assert err == (
        "callanalytics: error: parameter min_calls of report 'agent-performance' must be "
        "an int like its default 20, not 'ten'"
    )
    assert rendered == []


@pytest.mark.parametrize(
    ("parameter", "expected"),
    [
        ("campaigns=Solar Web Leads", "must be a list"),
        ("min_calls=2.5", "must be an int"),
        ("min_calls=true", "must be an int"),
        ("success_dispositions={}", "must be a list"),
    ],
)
def test_other_wrong_types(tmp_path, capsys, rendered, parameter, expected):
    assert _report(tmp_path, "agent-performance", "-p", parameter) == EXIT_FAILED
    assert expected in capsys.readouterr().err and rendered == []


def test_values_of_the_right_type_reach_the_notebook(tmp_path, capsys, rendered):
    status = _report(
        tmp_path,
        "agent-performance",
        "-p",
        "min_calls=3",
        "-p",
        "campaigns=[10452]",  # JSON numbers: campaign ids still match
        "-p",
        "timezone=America/Chicago",
    )
    assert status == EXIT_OK
    (prepared,) = rendered
    assert prepared.values["min_calls"] == 3 and prepared.values["campaigns"] == [10452]
    assert prepared.values["timezone"] == "America/Chicago"


def test_unknown_parameter_names_are_still_refused(tmp_path, capsys, rendered):
    assert _report(tmp_path, "speed-to-lead", "-p", "min_calls=3") == EXIT_FAILED
    assert "has no parameter(s) min_calls" in capsys.readouterr().err


def test_report_all_gives_each_report_the_parameters_it_has(tmp_path, capsys, rendered):
    assert _report(tmp_path, "all", "-p", "min_calls=3") == EXIT_OK
    values = {prepared.name: prepared.values for prepared in rendered}
    assert values["agent-performance"]["min_calls"] == 3
    assert "min_calls" not in values["speed-to-lead"]
    assert _report(tmp_path, "all", "-p", "min_cals=3") == EXIT_FAILED
    assert "no report has parameter(s) min_cals" in capsys.readouterr().err


def test_a_bad_time_zone_fails_before_any_notebook(tmp_path, capsys, rendered):
    assert _report(tmp_path, "speed-to-lead", "-p", "timezone=Pacific") == EXIT_FAILED
    err = capsys.readouterr().err
    assert "unknown time zone 'Pacific'" in err and "Pacific/" in err and rendered == []


# --- 10.9: the window a reader thinks they are reading ---------------------------------------


def test_a_file_without_dates_is_reported_over_its_own_range(tmp_path, capsys, rendered, files):
    status = _report(tmp_path, "speed-to-lead", "--dialer", str(files["dialer_csv"]))
    assert status == EXIT_OK
    (prepared,) = rendered
    loaded = ca.load_dialer_results(str(files["dialer_csv"]))
    first = loaded["call_start"].dt.date().min()
    assert prepared.start == first and str(prepared.end) == "2024-11-11"
    assert prepared.values["start"] == first.isoformat() and prepared.values["end"] == "2024-11-11"
    out = capsys.readouterr().out
    assert f"speed-to-lead: 300 rows loaded for {prepared.window}" in out
    assert prepared.window.endswith("– 10 November 2024")


def test_given_dates_are_printed_as_a_reader_reads_them(tmp_path, capsys, rendered):
    assert _report(tmp_path, "speed-to-lead", "--start", "2024-11-01", "--end", "2024-11-08") == 0
    out = capsys.readouterr().out
    assert "rows loaded for 1–7 November 2024" in out
    assert "speed-to-lead_2024-11-01_2024-11-08.html" in out


# --- 10.6: no data is its own exit status ----------------------------------------------------


def test_an_empty_window_says_no_data_renders_and_exits_3(tmp_path, capsys, rendered):
    status = _report(tmp_path, "all", "--start", "2030-01-01", "--end", "2030-01-02")
    assert status == EXIT_NO_DATA == 3
    out = capsys.readouterr().out
    assert out.count("No data for 1 January 2030") == len(report_module.REPORTS)
    assert [prepared.rows for prepared in rendered] == [0] * len(report_module.REPORTS)


def test_a_failure_outranks_no_data(tmp_path, capsys, monkeypatch):
    def fail(prepared, output_dir):
        raise ReportError(f"report {prepared.name!r} failed in cell 3")

    monkeypatch.setattr(report_module, "render_prepared", fail)
    status = _report(tmp_path, "speed-to-lead", "--start", "2030-01-01", "--end", "2030-01-02")
    assert status == EXIT_FAILED
    captured = capsys.readouterr()
    assert "No data for 1 January 2030" in captured.out
    assert captured.err.strip() == "callanalytics: error: report 'speed-to-lead' failed in cell 3"


def test_report_help_documents_the_exit_statuses(capsys):
    with pytest.raises(SystemExit):
        main(["report", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "0 every report rendered with data" in text and "3 no data" in text
    assert "1 failed" in text


# --- 10.7: a filter that matches nothing ---------------------------------------------------


def test_a_filter_that_matches_nothing_fails_listing_the_available_values(
    tmp_path, capsys, rendered
):
    status = _report(tmp_path, "speed-to-lead", "-p", 'campaigns=["Solar"]')
    assert status == EXIT_FAILED and rendered == []
    err = capsys.readouterr().err
    assert "'Solar' not found" in err and "10471 (Solar Web Leads)" in err


def test_prepare_report_raises_the_filter_error():
    with pytest.raises(FilterError, match="Delta Leads"):
        prepare_report("affiliate-margin", parameters={"affiliates": ["Delta"]})


def test_success_dispositions_that_match_nothing_fail_listing_the_dispositions_seen(
    tmp_path, capsys, rendered
):
    """QA: a typo in success_dispositions rendered 0% conversion with exit 0."""
    status = _report(tmp_path, "speed-to-lead", "-p", 'success_dispositions=["Sael"]')
    assert status == EXIT_FAILED and rendered == []
    err = capsys.readouterr().err
    assert "success_dispositions" in err and "'Sael'" in err and "Sale - Upsell" in err


@pytest.mark.filterwarnings("default::callanalytics.load.UnmatchedFilterWarning")
def test_success_dispositions_partly_unmatched_warn_and_run(tmp_path, capsys, rendered):
    status = _report(tmp_path, "agent-performance", "-p", 'success_dispositions=["Sale", "Sael"]')
    assert status == EXIT_OK and len(rendered) == 1
    err = capsys.readouterr().err
    assert "'Sael'" in err and "warning" in err


# --- 10.12: each report takes the source it needs ------------------------------------------


def test_report_all_reads_the_dialer_and_leadflow_files(tmp_path, capsys, rendered, files):
    status = _report(
        tmp_path,
        "all",
        "--dialer",
        str(files["dialer_parquet"]),
        "--leadflow",
        str(files["leadflow_json"]),
    )
    assert status == EXIT_OK
    sources = {prepared.name: prepared.source for prepared in rendered}
    assert sources == {
        "speed-to-lead": str(files["dialer_parquet"].resolve()),
        "agent-performance": str(files["dialer_parquet"].resolve()),
        "affiliate-margin": str(files["leadflow_json"].resolve()),
        "lead-funnel": str(files["leadflow_json"].resolve()),
        "compliance": str(files["dialer_parquet"].resolve()),
        "data-quality": str(files["dialer_parquet"].resolve()),
    }
    funnel = next(prepared for prepared in rendered if prepared.name == "lead-funnel")
    assert funnel.values["dialer"] == str(files["dialer_parquet"].resolve())
    out = capsys.readouterr().out
    assert "affiliate-margin: 200 rows loaded" in out and "speed-to-lead: 300 rows loaded" in out


def test_report_all_loads_the_dialer_data_once(tmp_path, capsys, rendered, monkeypatch):
    loads = []
    real = loading_module.load_window

    def counting(*args, **kwargs):
        loads.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(loading_module, "load_window", counting)
    assert _report(tmp_path, "all") == EXIT_OK
    # Once for the Dialer reports, once more for the lead funnel, which reads the Dialer
    # results up to within_days past the window (a different question); LeadFlow once.
    assert sorted(loads) == ["dialer", "dialer", "leadflow"]


@pytest.mark.parametrize(
    ("names", "options", "message"),
    [
        (["speed-to-lead", "affiliate-margin"], {"source": "x.csv"}, "cannot feed both"),
        (["speed-to-lead", "affiliate-margin"], {"dialer": "x.csv"}, "give --leadflow PATH"),
        (["affiliate-margin"], {"dialer": "x.csv"}, "--dialer is not read by affiliate-margin"),
        (["speed-to-lead"], {"leadflow": "x.json"}, "--leadflow is not read by speed-to-lead"),
        (["speed-to-lead"], {"source": "a.csv", "dialer": "b.csv"}, "give each file once"),
    ],
)
def test_sources_that_do_not_fit_the_reports_are_refused(names, options, message):
    with pytest.raises(CallAnalyticsError, match=message):
        report_sources(names, **options)


def test_sources_each_report_reads():
    both = ["speed-to-lead", "agent-performance", "affiliate-margin"]
    assert report_sources(both) == dict.fromkeys(both, "sample")
    assert report_sources(both, "api", dialer="d.csv") == {
        "speed-to-lead": "d.csv",
        "agent-performance": "d.csv",
        "affiliate-margin": "api",
    }
    assert report_sources(["speed-to-lead"], "d.csv") == {"speed-to-lead": "d.csv"}


def test_a_missing_file_fails_before_any_notebook_with_one_line(tmp_path, capsys, rendered):
    missing = tmp_path / "no-such-export.csv"
    assert _report(tmp_path, "speed-to-lead", "--dialer", str(missing)) == EXIT_FAILED
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and str(missing) in err and rendered == []


# --- 10.19: the kernel's plain-TCP notice ---------------------------------------------------


def _record(name: str, level: int, message: str) -> logging.LogRecord:
    return logging.LogRecord(name, level, "kernelapp.py", 1, message, None, None)


def test_the_filter_drops_exactly_the_plain_tcp_notice():
    keep = PlainTcpNoticeFilter().filter
    notice = f"{PLAIN_TCP_NOTICE} All communication (including code and outputs) is sent ..."
    assert not keep(_record("IPKernelApp", logging.WARNING, notice))
    assert keep(_record("IPKernelApp", logging.ERROR, notice))  # never hide an error
    assert keep(_record("IPKernelApp", logging.WARNING, "Kernel died unexpectedly"))
    assert keep(_record("IPKernelApp", logging.ERROR, "Failed to load connection file"))
    assert keep(_record("other", logging.WARNING, notice))


# --- end to end: a few real notebook runs -------------------------------------------------


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "callanalytics", "report", *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


@pytest.mark.notebooks
def test_end_to_end_a_file_without_dates_renders_its_own_range_quietly(tmp_path, files):
    result = _cli(
        "speed-to-lead", "--dialer", str(files["dialer_csv"]), "--output-dir", str(tmp_path)
    )
    assert result.returncode == EXIT_OK, result.stderr
    first = ca.load_dialer_results(str(files["dialer_csv"]))["call_start"].dt.date().min()
    stem = f"speed-to-lead_{first}_2024-11-11"
    assert f"300 rows loaded for {ca.load.window_label(first, '2024-11-11')}" in result.stdout
    assert (tmp_path / f"{stem}.html").is_file()
    executed = nbformat.read(tmp_path / f"{stem}.ipynb", as_version=4)
    recorded = executed.metadata["papermill"]["parameters"]
    assert (recorded["start"], recorded["end"]) == (first.isoformat(), "2024-11-11")
    assert "without encryption" not in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.notebooks
def test_end_to_end_a_failing_cell_keeps_the_executed_notebook(tmp_path):
    notebook = tmp_path / "failing.ipynb"
    nb = new_notebook()
    parameters = new_code_cell('source = "sample"\nstart = ""\nend = ""')
    parameters.metadata["tags"] = ["parameters"]
    nb.cells = [parameters, new_code_cell("raise KeyError('no such column')")]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, notebook)
    prepared = prepare_report("speed-to-lead")
    failing = PreparedReport(
        "failing", notebook, prepared.source, prepared.start, prepared.end, prepared.rows
    )
    with pytest.raises(ReportError, match=r"failed in cell \d+ \(KeyError") as caught:
        render_prepared(failing, tmp_path / "out")
    executed = tmp_path / "out" / "failing_2024-10-28_2024-11-11.ipynb"
    assert str(executed) in str(caught.value) and executed.is_file()
    assert not executed.with_suffix(".html").exists()


@pytest.mark.filterwarnings("default::callanalytics.load.UnmatchedFilterWarning")
def test_a_partly_unmatched_filter_is_one_warning_line(tmp_path, capsys, rendered):
    status = _report(tmp_path, "speed-to-lead", "-p", 'campaigns=["10452", "Solar"]')
    assert status == EXIT_OK
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("callanalytics: warning: campaigns 'Solar' not")
    assert rendered[0].values["campaigns"] == ["10452", "Solar"]


def test_every_declared_credential_name_is_refused_as_a_parameter():
    """The settings tables declare which settings are secrets; a parameter named like any of
    them (``rc_jwt``, ``RINGCENTRAL_JWT``) is refused (``jwt`` slipped through before)."""
    from callanalytics.config import SETTINGS_TABLES
    from callanalytics.report import is_secret_name

    secrets = [s for table in SETTINGS_TABLES for s in table if s.secret]
    assert secrets
    for setting in secrets:
        assert is_secret_name(setting.name), setting.name
        assert is_secret_name(setting.variable), setting.variable
    assert not is_secret_name("min_calls") and not is_secret_name("campaigns")


# --- 12: the lead funnel reads both sources ---------------------------------------------------


def test_the_lead_funnel_reads_leadflow_for_its_window_and_the_dialer_past_it(
    tmp_path, capsys, rendered, files
):
    status = _report(
        tmp_path,
        "lead-funnel",
        "--leadflow",
        str(files["leadflow_json"]),
        "--dialer",
        str(files["dialer_csv"]),
        "--start",
        "2024-10-28",
        "--end",
        "2024-11-04",
    )
    assert status == EXIT_OK
    (prepared,) = rendered
    assert prepared.source == str(files["leadflow_json"].resolve())
    assert prepared.values["dialer"] == str(files["dialer_csv"].resolve())
    assert prepared.window == "28 October – 3 November 2024"
    leadflow = ca.load_leadflow_history(str(files["leadflow_json"]), "2024-10-28", "2024-11-04")
    # within_days (30) past the window's end, so later callbacks are not "never dialed"
    dialer = ca.load_dialer_results(str(files["dialer_csv"]), "2024-10-28", "2024-12-04")
    assert prepared.rows == leadflow.height > 0
    out = capsys.readouterr().out
    assert f"lead-funnel: {leadflow.height:,} rows loaded for 28 October – 3 November 2024" in out
    assert (
        f"  dialer: {dialer.height:,} rows loaded for 28 October – 3 December 2024 "
        "(callbacks up to 30 days after the window)"
    ) in out
    assert (
        dialer.height
        > ca.load_dialer_results(str(files["dialer_csv"]), "2024-10-28", "2024-11-04").height
    )


def test_the_lead_funnel_dialer_window_follows_within_days(tmp_path, capsys, rendered):
    assert _report(tmp_path, "lead-funnel", "-p", "within_days=7") == EXIT_OK
    assert "dialer: 5,000 rows loaded for 28 October – 17 November 2024" in capsys.readouterr().out
    assert rendered[0].values["within_days"] == 7 and rendered[0].values["dialer"] == "sample"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--leadflow", "l.json"], "lead-funnel reads Dialer results too: give --dialer PATH"),
        (["--dialer", "d.csv"], "lead-funnel reads LeadFlow history: give --leadflow PATH too"),
        (["--source", "x.csv"], "cannot feed both"),
    ],
)
def test_the_lead_funnel_needs_both_files(tmp_path, capsys, rendered, options, message):
    assert _report(tmp_path, "lead-funnel", *options) == EXIT_FAILED
    assert message in capsys.readouterr().err and rendered == []


@pytest.mark.parametrize(
    ("parameter", "message"),
    [
        ("sale_value=lots", "sale_value of report 'lead-funnel' must be an amount of dollars"),
        ("sale_value=-5", "must be an amount of dollars like 300"),
        ("sale_value=1.005", "at most 2 decimals"),
        ("region=XX", "parameter region of report 'lead-funnel' must be a two-letter country"),
        ("within_days=0", "within_days of report 'lead-funnel' must be 1 or more, not 0"),
        ("by=colour", "colour"),
        ("success_dispositions=[]", ""),  # an empty list is the default rule: accepted
    ],
)
def test_lead_funnel_parameters_are_checked_before_any_kernel(
    tmp_path, capsys, rendered, parameter, message
):
    status = _report(tmp_path, "lead-funnel", "-p", parameter)
    if not message:
        assert status == EXIT_OK and len(rendered) == 1
        return
    assert status == EXIT_FAILED and rendered == []
    assert message in capsys.readouterr().err


def test_a_sale_value_in_dollars_reaches_the_notebook_as_text(tmp_path, rendered):
    assert _report(tmp_path, "lead-funnel", "-p", "sale_value=$1,250.50") == EXIT_OK
    assert rendered[0].values["sale_value"] == "$1,250.50"
    assert report_module.sale_value_from_text("$1,250.50") == Decimal("1250.50")


def test_second_sources():
    names = ["speed-to-lead", "affiliate-margin", "lead-funnel"]
    assert second_sources(names) == {"lead-funnel": "sample"}
    assert second_sources(names, "api") == {"lead-funnel": "api"}
    assert second_sources(names, dialer="d.csv", leadflow="l.json") == {"lead-funnel": "d.csv"}
    assert second_sources(["speed-to-lead"], dialer="d.csv") == {}
    with pytest.raises(CallAnalyticsError, match="give --dialer PATH"):
        second_sources(["lead-funnel"], leadflow="l.json")


def test_an_empty_lead_funnel_window_exits_3(tmp_path, capsys, rendered):
    status = _report(tmp_path, "lead-funnel", "--start", "2030-01-01", "--end", "2030-01-02")
    assert status == EXIT_NO_DATA
    out = capsys.readouterr().out
    assert "lead-funnel: No data for 1 January 2030" in out
    assert "dialer: 0 rows loaded for 1–31 January 2030" in out


def test_reports_run_with_other_parameters_get_their_own_file_names():
    """QA: `-p campaigns=[10452]` overwrote the all-campaigns report of the same window."""
    plain = prepare_report("agent-performance")
    same = prepare_report("agent-performance", parameters={"min_calls": 20})  # the default
    one = prepare_report("agent-performance", parameters={"campaigns": [10452]})
    other = prepare_report("agent-performance", parameters={"campaigns": ["10453"]})
    assert plain.stem == same.stem == "agent-performance_2024-10-28_2024-11-11"
    assert one.stem == "agent-performance_2024-10-28_2024-11-11_campaigns-10452"
    assert len({plain.stem, one.stem, other.stem}) == 3
    long = prepare_report(
        "agent-performance",
        parameters={"success_dispositions": ["Sale", "Sale - Upsell"], "min_calls": 5},
    )
    assert long.stem.startswith("agent-performance_2024-10-28_2024-11-11_")
    assert len(long.stem) <= 80 and "/" not in long.stem and " " not in long.stem

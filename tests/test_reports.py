"""Report notebooks executed end to end with papermill, and the HTML they produce."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

import callanalytics as ca
from callanalytics import metrics, narrative
from callanalytics.report import REPORTS, ReportError, notebook_path, render_report

CANARY = "canary-7f3a9c-do-not-leak"
CHARTS = {"speed-to-lead": 3, "agent-performance": 1, "affiliate-margin": 3}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
    with pytest.MonkeyPatch.context() as env:
        for name in ("ENGAGE_VOICE_TOKEN", "DIALOGTECH_SECRET_KEY", "DIALOGTECH_ACCESS_KEY"):
            env.setenv(name, CANARY)
        reports = {name: render_report(name, output_dir=out) for name in REPORTS}
    return out, reports


def _text(path: Path) -> str:
    return html.unescape(path.read_text(encoding="utf-8"))


@pytest.mark.notebooks
def test_each_report_writes_notebook_and_html_named_by_range(rendered):
    out, reports = rendered
    for name, report in reports.items():
        assert report.notebook == out / f"{name}_2024-10-28_2024-11-11.ipynb"
        assert report.html.is_file() and report.notebook.is_file()
        executed = nbformat.read(report.notebook, as_version=4)
        recorded = executed.metadata["papermill"]["parameters"]
        assert recorded["source"] == "sample" and recorded["start"] == "2024-10-28"


@pytest.mark.notebooks
def test_html_has_title_parameters_time_and_no_code(rendered):
    _, reports = rendered
    for name, report in reports.items():
        text = _text(report.html)
        title = name.replace("-", " ").capitalize()
        assert f"<title>{title}</title>" in text
        assert re.search(r"Generated \d{4}-\d{2}-\d{2} \d{2}:\d{2}", text)
        assert "'2024-10-28'" in text
        assert "import callanalytics" not in text and "ca.load_" not in text
        assert not re.search(r'class="[^"]*jp-InputArea-editor', text)
        assert not re.search(r"<script[^>]+src=\"https?://", text)
        charts = re.findall(r'src="data:image/svg\+xml;base64,', text)
        assert len(charts) == CHARTS[name]


@pytest.mark.notebooks
def test_headline_numbers_are_in_the_reports(rendered):
    _, reports = rendered
    calls = ca.load_dialer_results("sample")
    summary = metrics.speed_to_lead_summary(calls).row(0, named=True)
    assert narrative.summary_story(summary) in _text(reports["speed-to-lead"].html)
    assert narrative.speed_story(metrics.outcomes_by_speed(calls)) in _text(
        reports["speed-to-lead"].html
    )
    assert narrative.agent_story(metrics.agent_performance(calls)) in _text(
        reports["agent-performance"].html
    )
    traffic = ca.load_leadflow_history("sample")
    story = narrative.affiliate_story(
        metrics.margin_summary(traffic).row(0, named=True), metrics.affiliate_margin(traffic)
    )
    assert story in _text(reports["affiliate-margin"].html)


@pytest.mark.notebooks
def test_no_secret_and_no_full_phone_number_in_any_output(rendered):
    out, _ = rendered
    phones = set(ca.load_dialer_results("sample")["lead_phone"]) | set(
        ca.load_leadflow_history("sample")["caller_id"]
    )
    for path in out.iterdir():
        text = path.read_text(encoding="utf-8")
        assert CANARY not in text, path
        digits = set(re.findall(r"(?<!\d)\d{10}(?!\d)", text))
        assert not digits & phones, path


def test_committed_notebooks_have_no_outputs_and_a_parameters_cell():
    for name in REPORTS:
        nb = nbformat.read(notebook_path(name), as_version=4)
        tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
        assert len(tagged) == 1
        for cell in nb.cells:
            if cell.cell_type == "code":
                assert cell.outputs == [] and cell.execution_count is None, name


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"name": "margins"}, "unknown report 'margins'"),
        ({"name": "speed-to-lead", "start": "11/01/2024"}, "ISO date"),
        ({"name": "speed-to-lead", "start": "2024-11-05", "end": "2024-11-01"}, "must be after"),
        ({"name": "speed-to-lead", "parameters": {"api_token": "x"}}, "refusing parameter"),
        ({"name": "speed-to-lead", "parameters": {"DIALOGTECH_SECRET_KEY": "x"}}, "refusing"),
        ({"name": "speed-to-lead", "parameters": {"min_cals": 3}}, "no parameter.*min_cals"),
    ],
)
def test_runner_refuses_bad_requests_before_running(tmp_path, kwargs, message):
    name = kwargs.pop("name")
    with pytest.raises((ReportError, ValueError), match=message):
        render_report(name, output_dir=tmp_path, **kwargs)
    assert not list(tmp_path.glob("*.html"))


@pytest.mark.notebooks
def test_missing_source_file_fails_before_any_notebook_runs(tmp_path):
    missing = tmp_path / "no-such-export.csv"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "callanalytics",
            "report",
            "speed-to-lead",
            "--source",
            str(missing),
            "--start",
            "2024-11-01",
            "--end",
            "2024-11-02",
            "--output-dir",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    # The runner loads the data before a kernel starts: one line, no notebook, no HTML.
    # (A cell that fails inside a notebook is covered in test_report_runner.py.)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert lines == [
        f"callanalytics: error: Engage Voice Dialer Result Download: no such file {str(missing)!r}"
    ]
    assert not list(tmp_path.glob("speed-to-lead_*"))


@pytest.mark.notebooks
def test_parameters_change_the_report(tmp_path):
    report = render_report(
        "agent-performance",
        start="2024-11-04",
        end="2024-11-06",
        output_dir=tmp_path,
        parameters={"min_calls": 3, "campaigns": ["10452"]},
    )
    nb = nbformat.read(report.notebook, as_version=4)
    assert nb.metadata["papermill"]["parameters"]["min_calls"] == 3
    text = _text(report.html)
    assert "'10452'" in text and json.dumps(3) in text


@pytest.mark.browser
@pytest.mark.notebooks
def test_every_chart_draws_in_a_browser_with_no_network(rendered, tmp_path):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("Chromium is not installed (.ci/run installs Debian's chromium)")
    _, reports = rendered
    probe = (
        "<script>window.addEventListener('load', () => {"
        "const imgs = [...document.querySelectorAll('img[src^=\"data:image/svg\"]')];"
        "document.body.dataset.charts = imgs.length;"
        "document.body.dataset.drawn = imgs.filter(i => i.complete && i.naturalWidth > 0).length;"
        "});</script></body>"
    )
    for name, report in reports.items():
        page = tmp_path / f"{name}.html"
        page.write_text(report.html.read_text(encoding="utf-8").replace("</body>", probe))
        result = subprocess.run(
            [
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--user-data-dir={tmp_path / 'profile'}",
                "--proxy-server=127.0.0.1:9",
                "--host-resolver-rules=MAP * ~NOTFOUND",
                "--virtual-time-budget=5000",
                "--dump-dom",
                page.as_uri(),
            ],
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
        charts = re.search(r'data-charts="(\d+)"', result.stdout)
        drawn = re.search(r'data-drawn="(\d+)"', result.stdout)
        assert charts and drawn, result.stderr[-2000:]
        assert int(charts.group(1)) == CHARTS[name]
        assert drawn.group(1) == charts.group(1), name


@pytest.mark.notebooks
def test_reports_use_this_python_whatever_kernels_jupyter_knows(tmp_path, monkeypatch):
    broken = tmp_path / "jupyter" / "kernels" / "python3"
    broken.mkdir(parents=True)
    (broken / "kernel.json").write_text(
        json.dumps(
            {
                "argv": ["/bin/false", "{connection_file}"],
                "display_name": "broken",
                "language": "python",
            }
        )
    )
    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path / "jupyter"))
    monkeypatch.chdir(tmp_path)  # and from any working directory
    report = render_report("affiliate-margin", output_dir="out")
    assert report.html.is_file() and report.html.parent == tmp_path / "out"

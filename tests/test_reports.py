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
import polars as pl
import pytest

import callanalytics as ca
from callanalytics import metrics, narrative
from callanalytics.phones import e164_series, to_e164
from callanalytics.report import REPORTS, ReportError, notebook_path, render_report

CANARY = "canary-7f3a9c-do-not-leak"
CHARTS = {"speed-to-lead": 3, "agent-performance": 1, "affiliate-margin": 3, "lead-funnel": 4}
CHARTS |= {"compliance": 2, "data-quality": 0}


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
        assert f"<title>{title}, 28 October – 10 November 2024</title>" in text
        generated = r"Generated \d{4}-\d{2}-\d{2} \d{2}:\d{2} E[SD]T \(America/New_York\)"
        assert re.search(generated, text)
        assert "Window: 28 October – 10 November 2024" in text
        header = text[text.index("Generated") : text.index('id="Headline"')]
        assert "[]" not in header and "'" not in header  # sentences, not Python reprs
        assert "import callanalytics" not in text and "ca.load_" not in text
        assert not re.search(r'class="[^"]*jp-InputArea-editor', text)
        assert not re.search(r"<script[^>]+src=\"https?://", text)
        # charts are inline <svg> elements with alt text; no data: images (mail clients block them)
        assert "<img" not in text and not re.search(r"src=\"data:", text)
        svgs = re.findall(r"<svg\b[^>]*>", text)
        charts = [tag for tag in svgs if 'role="img"' in tag and "aria-labelledby=" in tag]
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
def test_reports_state_their_definitions(rendered):
    _, reports = rendered
    calls = ca.load_dialer_results("sample")
    conversions = narrative.conversion_story(metrics.disposition_split(calls))
    assert "Seen but not counted: Not Interested" in conversions
    for name in ("speed-to-lead", "agent-performance"):
        text = _text(reports[name].html)
        assert conversions in text, name  # what counted, and what was seen but did not
        assert metrics.DEFAULT_SUCCESS_RULE in text, name
    agents = _text(reports["agent-performance"].html)
    assert "<strong>talk</strong> = duration − hold" in agents
    assert "already includes any hold" in agents
    speed = _text(reports["speed-to-lead"].html)
    assert "placed by when it arrived: its first dial minus its speed to lead" in speed
    reconciliation = metrics.margin_reconciliation(ca.load_leadflow_history("sample"))
    story = narrative.margin_reconciliation_story(reconciliation.summary.row(0, named=True))
    assert story in _text(reports["affiliate-margin"].html)


# Anything a phone number can be written as: digits with spaces, dots, dashes, slashes or
# parentheses between them and an optional leading + ("(617) 555-0100", "+1 617 555 0100").
_PHONE_LIKE = re.compile(r"\+?\(?\d[\d\s().\-/]{5,22}\d")


def _leaked_numbers(text: str, numbers: set[str]) -> set[str]:
    """The E.164 forms of ``numbers`` that appear in ``text`` written in any format."""
    runs = pl.Series(
        [m.group(0) for m in _PHONE_LIKE.finditer(html.unescape(text))], dtype=pl.String
    )
    found = set(e164_series(runs).drop_nulls())
    # A run can swallow its neighbours ("2024 (617) 555-0100"): also try every 10/11-digit
    # stretch of its digits.
    for run in runs:
        digits = re.sub(r"\D", "", run)
        for size in (10, 11):
            for at in range(len(digits) - size + 1):
                found.add(to_e164(digits[at : at + size]) or "")
    return found & numbers


def _data_numbers() -> set[str]:
    calls = ca.load_dialer_results("sample")
    traffic = ca.load_leadflow_history("sample")
    series = [calls["lead_phone"], calls["aux_phone"], traffic["caller_id"]]
    return set(pl.concat([e164_series(s.cast(pl.String)) for s in series]).drop_nulls())


@pytest.mark.parametrize(
    "written",
    ["(617) 555-0100", "617-555-0100", "+1 617 555 0100", "16175550100", "617.555.0100"],
)
def test_the_phone_check_finds_a_number_in_any_format(written):
    page = f"<td>Caller {written}</td><td>2024-11-01 09:30</td>"
    assert _leaked_numbers(page, {"+16175550100"}) == {"+16175550100"}
    assert _leaked_numbers("<td>•••0100</td><td>$1,234.50</td>", {"+16175550100"}) == set()


@pytest.mark.notebooks
def test_no_secret_and_no_full_phone_number_in_any_output(rendered):
    out, _ = rendered
    numbers = _data_numbers()
    assert len(numbers) > 1_000
    for path in out.iterdir():
        text = path.read_text(encoding="utf-8")
        assert CANARY not in text, path
        assert not _leaked_numbers(text, numbers), path


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
        ({"name": "lead-funnel", "parameters": {"sale_value": "lots"}}, "amount of dollars"),
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
    assert "Only campaigns 10452." in text and "fewer than 3 answered calls" in text


EMPTY_START, EMPTY_END = "2020-01-01", "2020-01-08"  # the sample has no rows in this week


@pytest.fixture(scope="module")
def rendered_empty(tmp_path_factory):
    out = tmp_path_factory.mktemp("empty")
    return {
        name: render_report(name, start=EMPTY_START, end=EMPTY_END, output_dir=out)
        for name in REPORTS
    }


@pytest.mark.notebooks
def test_an_empty_window_renders_a_no_data_page(rendered_empty):
    for name, report in rendered_empty.items():
        text = _text(report.html)
        assert "No data for 1–7 January 2020" in text, name
        assert not re.search(r"\bnan\b", text, re.IGNORECASE), name
        assert "e+308" not in text and "Traceback" not in text, name
        assert "lower min_calls" not in text and "Half of the 0 leads" not in text, name
        assert "<svg" not in text, name  # no chart of nothing


@pytest.mark.notebooks
def test_a_renamed_agent_is_one_row_under_the_latest_name(tmp_path):
    calls = ca.load_dialer_results("sample")
    renamed = calls.with_columns(
        agent_last_name=pl.when(
            (pl.col("agent_id") == "001072")
            & (pl.col("call_start") < pl.datetime(2024, 11, 4, time_zone="America/New_York"))
        )
        .then(pl.lit("Maidenname"))
        .otherwise(pl.col("agent_last_name"))
    )
    source = tmp_path / "renamed.parquet"
    renamed.write_parquet(source)
    report = render_report(
        "agent-performance",
        source=str(source),
        start="2024-10-28",
        end="2024-11-11",
        output_dir=tmp_path,
    )
    text = _text(report.html)
    assert "Mary Maidenname" not in text
    assert text.count(">001072<") == 1  # one row in the time-per-call table, by agent id
    assert "Mary Davis" in text


# Screenshots of every rendered report, for people to look at (not committed: git-ignored).
SCREENSHOTS = Path(__file__).resolve().parent.parent / "test-output" / "screenshots"
WIDTHS = (800, 1280)
_MEASURE = """<script>window.addEventListener('load', () => {
  const root = document.documentElement;
  const charts = [...document.querySelectorAll('svg[role="img"]')];
  const box = (e) => e.getBoundingClientRect();
  const out = {
    scrollWidth: root.scrollWidth,
    clientWidth: root.clientWidth,
    height: root.scrollHeight,
    charts: charts.length,
    drawn: charts.filter(c => box(c).width > 0 && c.querySelector('path, rect')).length,
    images: document.querySelectorAll('img').length,
    scrolled: [...document.querySelectorAll('body *')].filter(e => {
      const x = getComputedStyle(e).overflowX;
      return (x === 'auto' || x === 'scroll') && e.scrollWidth > e.clientWidth + 1;
    }).map(e => e.tagName + ' ' + e.scrollWidth + 'px in ' + e.clientWidth + 'px'),
    cut: [...document.querySelectorAll('table, svg, figure')]
      .filter(e => box(e).right > root.clientWidth + 1)
      .map(e => e.tagName + ' ends at ' + Math.round(box(e).right) + 'px'),
  };
  const pre = document.createElement('pre');
  pre.id = 'ca-measure';
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
});</script></body>"""


def _chromium(chromium: str, profile: Path, *args: str) -> subprocess.CompletedProcess:
    """Headless Chromium with no network at all: reports must draw offline."""
    return subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            "--proxy-server=127.0.0.1:9",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--virtual-time-budget=5000",
            *args,
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def _measure(chromium: str, page: Path, width: int, work: Path) -> dict:
    probe = work / f"probe-{width}-{page.name}"
    probe.write_text(page.read_text(encoding="utf-8").replace("</body>", _MEASURE))
    result = _chromium(
        chromium, work / "profile", f"--window-size={width},900", "--dump-dom", probe.as_uri()
    )
    found = re.search(r'<pre id="ca-measure">(.*?)</pre>', result.stdout, re.S)
    assert found, result.stderr[-2000:]
    return json.loads(html.unescape(found.group(1)))


@pytest.mark.browser
@pytest.mark.notebooks
def test_reports_fit_800_and_1280_px_and_draw_every_chart_offline(
    rendered, rendered_empty, tmp_path
):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("Chromium is not installed (.ci/run installs Debian's chromium)")
    _, reports = rendered
    pages = {name: (r.html, CHARTS[name]) for name, r in reports.items()}
    pages |= {f"{name}-empty": (r.html, 0) for name, r in rendered_empty.items()}
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name, (page, charts) in pages.items():
        for width in WIDTHS:
            seen = _measure(chromium, page, width, tmp_path)
            where = f"{name} at {width} px"
            assert seen["scrollWidth"] <= seen["clientWidth"], f"{where} scrolls sideways"
            assert seen["scrolled"] == [], f"{where}: scroll bars in {seen['scrolled']}"
            assert seen["cut"] == [], f"{where}: cut off: {seen['cut']}"
            assert seen["images"] == 0, where
            assert seen["charts"] == charts and seen["drawn"] == charts, (where, seen)
            shot = SCREENSHOTS / f"{name}-{width}.png"
            shot.unlink(missing_ok=True)
            result = _chromium(
                chromium,
                tmp_path / "profile",
                "--hide-scrollbars",
                f"--window-size={width},{seen['height']}",
                f"--screenshot={shot}",
                page.as_uri(),
            )
            assert shot.is_file() and shot.stat().st_size > 0, result.stderr[-2000:]


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


# --- Issue 13: the compliance and data-quality reports ---------------------------------------


@pytest.mark.notebooks
def test_the_compliance_report_shows_the_sample_findings(rendered):
    from callanalytics.metrics import compliance

    _, reports = rendered
    text = _text(reports["compliance"].html)
    calls = ca.load_dialer_results("sample")
    failed = compliance.compliance_summary(calls).filter(pl.col("status") == "fail")
    assert f"{failed.height} of 5 rules failed" in text
    for example in ("07:45:00 local (America/Los_Angeles)", "11:30:00 local (America/Chicago)"):
        assert example in text  # the planted dials, numbers masked to their last four
    assert re.search(r"•••\d{4} at 2024-11-\d\d 21:05:00 local", text)
    assert "3.0% safe harbour" in text and "47 CFR 64.1200(c)(1)" in text
    assert "What this report cannot check" in text
    for what, _ in compliance.COMPLIANCE_NOT_CHECKED:
        assert what in text
    assert compliance.COMPLIANCE_DISCLAIMER in text and "not legal advice" in text


@pytest.mark.notebooks
def test_the_data_quality_report_shows_each_planted_problem(rendered):
    _, reports = rendered
    text = _text(reports["data-quality"].html)
    for check in (
        "duplicate_call_id",
        "agent_on_unanswered",
        "dial_before_upload",
        "negative_duration",
        "duration_over_12h",
        "talk_over_total",
        "duplicate_sid",
        "state_mismatch",
    ):
        row = rf">{check}</td>(?:<td[^>]*>[^<]*</td>){{2}}<td[^>]*>found</td>"
        assert re.search(row, text), check
    assert "duration -0:00:30" in text and "on_hold 13:00:00" in text
    assert "Baseline: the sample generator" in text
    assert "Reader counts: the sample read through the reader." in text

"""Issue 11, "one line per column": a column added to a schema table reaches the sample, the
readers and the reports with no other change.

The column is added the way a developer adds it, to the one schema object every module
reads (``DIALER_RESULTS``/``LEADFLOW_HISTORY``), here in place for the length of a test;
report kernels get the same line from an IPython startup file before any cell runs.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

import callanalytics as ca
from callanalytics.report import prepare_report, render_prepared
from callanalytics.schema import DIALER_RESULTS, LEADFLOW_HISTORY, Column, Schema, Text

ADDED = Column("queue_name", Text(), "Added in one line")
SCHEMAS = {"dialer": DIALER_RESULTS, "leadflow": LEADFLOW_HISTORY}


@contextmanager
def grown(*schemas: Schema) -> Iterator[None]:
    """Each schema with ADDED as its last column, for the block (the schemas are frozen
    dataclasses shared by every module: the one line, as if it were in the table)."""
    saved = [(schema, schema.columns) for schema in schemas]
    for schema in schemas:
        object.__setattr__(schema, "columns", (*schema.columns, ADDED))
    try:
        yield
    finally:
        for schema, columns in saved:
            object.__setattr__(schema, "columns", columns)


@pytest.mark.parametrize("which", ["dialer", "leadflow"])
def test_a_column_added_to_the_schema_is_one_line_for_the_sample_and_the_readers(which, tmp_path):
    """Adding `C("queue_name", Text(), ...)` to a schema made the sample fail with
    ColumnNotFoundError; a column it has no rule for now comes out empty on the wire, and the
    readers (eager and lazy) read it as a typed null column."""
    schema = SCHEMAS[which]
    with grown(schema):
        if which == "dialer":
            raw = ca.sample_dialer_results(n=30, raw=True)
            header = next(csv.reader(io.StringIO(raw.decode("utf-8"))))
            assert header[-1] == "queue_name" and raw.count(b'""\n') >= 30  # sent empty
            frame, read = ca.sample_dialer_results(n=30), ca.read_dialer_results(raw)
            file, scan = tmp_path / "sample.csv", ca.scan_dialer_results
            file.write_bytes(raw)
        else:
            raw = ca.sample_leadflow_history(n=30, raw=True)
            records = json.loads(raw)["response"]
            assert all(list(record)[-1] == "queue_name" for record in records)
            assert all(record["queue_name"] is None for record in records)
            frame, read = ca.sample_leadflow_history(n=30), ca.read_leadflow_history(raw)
            file, scan = tmp_path / "sample.ndjson", ca.scan_leadflow_history  # scans read NDJSON
            file.write_text("\n".join(json.dumps(record) for record in records))
        expected = schema.polars_schema()
        assert frame.schema == read.schema == expected
        assert frame.columns[-1] == "queue_name" and frame["queue_name"].null_count() == 30
        scanned = scan(file).collect()
        assert scanned.schema == expected and scanned["queue_name"].null_count() == 30
    assert "queue_name" not in schema.names  # the block put the table back


# A startup file the report kernel runs before the notebook's first cell: the same line in
# the same tables, and a record of every frame the notebook loads.
KERNEL_STARTUP = """
import json
from pathlib import Path

import callanalytics as ca
import callanalytics.load as load
import callanalytics.load.loaders as loaders
from callanalytics.schema import DIALER_RESULTS, LEADFLOW_HISTORY, Column, Text

for schema in (DIALER_RESULTS, LEADFLOW_HISTORY):
    object.__setattr__(
        schema, "columns", (*schema.columns, Column("queue_name", Text(), "Added in one line"))
    )
_load_window = loaders.load_window


def _recorded(kind, *args, **kwargs):
    loaded = _load_window(kind, *args, **kwargs)
    with Path({log!r}).open("a") as log:
        log.write(json.dumps([kind, loaded.frame.columns, loaded.frame.height]) + "\\n")
    return loaded


# Every name it is reached by: load_dialer_results calls it inside load.loaders.
load.load_window = ca.load_window = loaders.load_window = _recorded
"""


@pytest.fixture
def grown_kernels(tmp_path, monkeypatch) -> Path:
    """Report kernels that start with ADDED in both schemas; returns the file each kernel
    writes one line to per frame it loads: kind, columns, rows."""
    log = tmp_path / "loaded.jsonl"
    startup = tmp_path / "ipython" / "profile_default" / "startup"
    startup.mkdir(parents=True)
    (startup / "00-grow-schemas.py").write_text(KERNEL_STARTUP.format(log=str(log)))
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    return log


@pytest.mark.notebooks
@pytest.mark.parametrize("report", ["speed-to-lead", "lead-funnel", "data-quality"])
def test_a_column_added_to_both_schemas_renders_the_report(report, tmp_path, grown_kernels):
    """The report prepares (its data loaded in this process) and renders end to end in a
    kernel whose schemas carry the added column, and the frames it loaded carry it too."""
    memo: dict = {}
    with grown(DIALER_RESULTS, LEADFLOW_HISTORY):
        prepared = prepare_report(report, start="2024-11-01", end="2024-11-08", memo=memo)
        assert all(loaded.frame.columns[-1] == "queue_name" for loaded in memo.values())
        for loaded in memo.values():
            assert loaded.frame["queue_name"].null_count() == loaded.frame.height > 0
        rendered = render_prepared(prepared, tmp_path / "out")
    assert rendered.html.is_file() and rendered.rows == prepared.rows > 0
    text = rendered.html.read_text(encoding="utf-8")
    assert "Traceback" not in text and "1–7 November 2024" in text
    loaded = [json.loads(line) for line in grown_kernels.read_text().splitlines()]
    assert loaded, "the kernel loaded no data through load_window"
    for kind, columns, rows in loaded:
        assert columns[-1] == "queue_name" and rows > 0, kind

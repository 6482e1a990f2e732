"""Every public metric on an empty window: an empty frame of the right schema, never a crash."""

from __future__ import annotations

import polars as pl
import pytest

import callanalytics as ca
from callanalytics import metrics

DIALER = [
    metrics.lead_outcomes,
    metrics.outcomes_by_speed,
    metrics.speed_to_lead_heatmap,
    metrics.agent_disposition_mix,
    metrics.agent_calls_per_hour,
    metrics.disposition_split,
    lambda c: metrics.speed_to_lead_by(c, "campaign"),
    lambda c: metrics.speed_to_lead_by(c, "day"),
    lambda c: metrics.speed_to_lead_by(c, ["week", "campaign"]),
    lambda c: metrics.agent_performance(c, min_calls=1),
]
LEADFLOW = [
    metrics.affiliate_margin,
    lambda t: metrics.affiliate_margin(t, "offer"),
    lambda t: metrics.affiliate_margin(t, "day"),
    metrics.margin_discrepancies,
    lambda t: metrics.affiliate_margin(t, ["month", "lf_state"]),
    lambda t: metrics.margin_reconciliation(t).rows,
]


@pytest.fixture(scope="module")
def dialer() -> pl.DataFrame:
    return ca.sample_dialer_results(n=400)


@pytest.fixture(scope="module")
def leadflow() -> pl.DataFrame:
    return ca.sample_leadflow_history(n=400)


@pytest.mark.parametrize("metric", DIALER)
@pytest.mark.parametrize("lazy", [False, True])
def test_dialer_metrics_on_no_rows(metric, lazy, dialer):
    empty = dialer.clear().lazy() if lazy else dialer.clear()
    out = metric(empty)
    assert isinstance(out, pl.LazyFrame) is lazy
    out = out.collect() if lazy else out
    assert out.height == 0
    assert out.schema == metric(dialer).schema


@pytest.mark.parametrize("metric", LEADFLOW)
@pytest.mark.parametrize("lazy", [False, True])
def test_leadflow_metrics_on_no_rows(metric, lazy, leadflow):
    empty = leadflow.clear().lazy() if lazy else leadflow.clear()
    out = metric(empty)
    out = out.collect() if lazy else out
    assert out.height == 0
    assert out.schema == metric(leadflow).schema


@pytest.mark.parametrize("lazy", [False, True])
def test_summaries_of_nothing_are_one_row_of_zeros_and_nulls(lazy, dialer, leadflow):
    def run(fn, frame):
        out = fn(frame.clear().lazy() if lazy else frame.clear())
        return out.collect() if lazy else out

    speed = run(metrics.speed_to_lead_summary, dialer)
    assert speed.schema == metrics.speed_to_lead_summary(dialer).schema
    row = speed.row(0, named=True)
    assert row["leads"] == 0
    assert {row[k] for k in row if k != "leads"} == {None}  # no NaN, no zero rates

    money = run(metrics.margin_summary, leadflow)
    assert money.schema == metrics.margin_summary(leadflow).schema
    row = money.row(0, named=True)
    assert (row["calls"], str(row["margin"]), row["margin_per_call"], row["margin_pct"]) == (
        0,
        "0.00",
        None,
        None,
    )


def test_reconciliation_of_nothing_is_zero(leadflow):
    summary = metrics.margin_reconciliation(leadflow.clear()).summary
    assert [str(v) for v in summary.row(0)] == ["0.00", "0.00", "0.00", "0", "0.00"]


FUNNEL = [
    metrics.match_leads,
    metrics.lead_funnel,
    lambda t, c: metrics.lead_funnel(t, c, by=["day", "offer"]),
    metrics.callback_outcomes,
]


@pytest.mark.parametrize("metric", FUNNEL)
@pytest.mark.parametrize("lazy", [False, True])
def test_funnel_metrics_on_no_rows(metric, lazy, dialer, leadflow):
    traffic, calls = leadflow.clear(), dialer.clear()
    out = metric(traffic.lazy(), calls.lazy()) if lazy else metric(traffic, calls)
    assert isinstance(out, pl.LazyFrame) is lazy
    out = out.collect() if lazy else out
    assert out.height == 0
    assert out.schema == metric(leadflow, dialer).schema

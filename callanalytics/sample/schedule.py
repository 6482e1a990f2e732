"""Who the dialer calls and when: leads of one to six passes, uploaded during business
hours, some of them LeadFlow callers called back, each dial inside its lead's calling
hours and inside the window."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from callanalytics.sample.callbacks import CALLBACK_CONVERSION, PHONE_STYLES, callbacks, written
from callanalytics.sample.hours import dialing_hours, fit_window
from callanalytics.sample.pools import CAMPAIGNS, NEW_YORK, PLACES, place_column
from callanalytics.sample.window import Window


@dataclass
class Schedule:
    """The dials of one sample: per-row arrays (one entry a dial) and per-lead arrays.

    Times are seconds after ``start`` midnight on the dialer's wall clock.
    """

    lead: np.ndarray  # per row: the lead dialled
    pass_no: np.ndarray  # per row: 1 for the lead's first dial, 2 for its second, ...
    passes: np.ndarray  # per lead: how many passes it gets
    first_row: np.ndarray  # per row: the row of its lead's first pass
    upload_day: np.ndarray  # per lead
    upload_sec: np.ndarray  # per lead: when its list was uploaded
    speed: np.ndarray  # per lead: the seconds the floor means to wait before the first dial
    campaign_of: np.ndarray  # per lead: an index of CAMPAIGNS
    boost: np.ndarray  # per lead: how much likelier than usual a sale is (callbacks)
    state_of: np.ndarray  # per row: an index of PLACES
    lead_zone: np.ndarray  # per row: the lead's time zone
    waited: np.ndarray  # per row: dialing seconds after the upload
    offset: np.ndarray  # per row: when the dial starts
    recycled: np.ndarray  # the leads that are LeadFlow callers called back
    written: list[str]  # their numbers, as list owners write them
    as_aux: np.ndarray  # which of them are the lead's aux phone rather than its number

    @property
    def n_leads(self) -> int:
        return len(self.passes)

    def numbers(self, drawn: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Each lead's phone and aux phone: ``drawn`` numbers, a called-back caller's number
        in place of one of them."""
        lead_phones = drawn.astype(object)
        aux_phones = np.full(self.n_leads, None, dtype=object)
        pairs = list(zip(self.written, self.as_aux, strict=True))
        lead_phones[self.recycled[~self.as_aux]] = [w for w, aux in pairs if not aux]
        aux_phones[self.recycled[self.as_aux]] = [w for w, aux in pairs if aux]
        return lead_phones, aux_phones


def schedule(
    rng: np.random.Generator, n: int, window: Window, seed: int, leadflow_n: int
) -> Schedule:
    """``n`` dials: each lead gets 1..6 passes (enough leads are drawn, then the first ``n``
    passes kept); speed to lead spreads from seconds to days; the callers of the LeadFlow
    sample of ``leadflow_n`` calls called back come from their own random stream, so the
    rest of the sample draws the same values with or without them."""
    n_leads = max(1, int(n / 2.2) + 10)
    passes = np.minimum(rng.geometric(0.42, size=n_leads), 6)
    while passes.sum() < n:
        passes = np.concatenate([passes, np.minimum(rng.geometric(0.42, size=n_leads), 6)])
    n_leads = len(passes)
    lead = np.repeat(np.arange(n_leads), passes)[:n]
    pass_no = (np.arange(len(lead)) - np.repeat(np.cumsum(passes) - passes, passes)[:n]) + 1

    upload_day = rng.integers(0, window.days, size=n_leads)
    upload_sec = upload_day * 86_400 + rng.integers(8 * 3600, 19 * 3600, size=n_leads)
    speed = np.exp(rng.normal(np.log(900), 2.3, size=n_leads)).clip(3, 5 * 86_400).astype(np.int64)
    campaign_of = rng.integers(0, len(CAMPAIGNS), size=n_leads)
    campaign_speed = np.array([0.4, 1.0, 2.5, 6.0])[campaign_of]
    speed = (speed * campaign_speed).clip(3, 6 * 86_400).astype(np.int64)

    back = callbacks(leadflow_n, window, seed)
    side = np.random.default_rng([seed, 4242])
    present = int(lead[-1]) + 1 if n > 0 else 0
    k = min(back.height, present // 3)
    recycled = np.sort(side.choice(present, size=k, replace=False)) if k else np.array([], int)
    back = back.head(k)
    upload_sec[recycled] = back["upload_sec"].to_numpy()
    boost = np.ones(n_leads)
    boost[recycled] = [CALLBACK_CONVERSION.get(a, 1.0) for a in back["affiliate"]]
    styles = side.integers(0, len(PHONE_STYLES), size=k)
    as_aux = side.random(k) < 0.1
    numbers = [written(c, s) for c, s in zip(back["caller_id"], styles, strict=True)]

    retry_gap = rng.integers(1800, 2 * 86_400, size=n)
    state_of = rng.integers(0, len(PLACES), size=n_leads)[lead]
    # At most three dials a day to a Florida number (3 per 24 h): four passes span more
    # than a dialing day.
    florida = place_column(state_of, 0) == "FL"
    retry_gap = np.where(florida, np.maximum(retry_gap, 10 * 3600), retry_gap)
    # The floor dials inside the lead's calling hours: waits count business seconds, and a
    # lead's passes follow one another (retry gaps add up).
    lead_zone = place_column(state_of, 1).astype(object)
    first_row = (np.cumsum(passes) - passes)[lead]
    total_gap = np.cumsum(np.where(pass_no > 1, retry_gap, 0))
    # Waits were drawn in wall-clock time; a dialing day is about half of a day.
    waited = (speed[lead] + total_gap - total_gap[first_row]) // 2
    waited, hurried = fit_window(upload_sec[lead], waited, lead, lead_zone, window)
    # A Florida lead whose passes had to be hurried becomes a New York one (the same zone),
    # so that only the planted lead breaks Florida's three calls in 24 hours.
    state_of = np.where(florida & hurried & (passes[lead] > 3), NEW_YORK, state_of)
    return Schedule(
        lead=lead,
        pass_no=pass_no,
        passes=passes,
        first_row=first_row,
        upload_day=upload_day,
        upload_sec=upload_sec,
        speed=speed,
        campaign_of=campaign_of,
        boost=boost,
        state_of=state_of,
        lead_zone=lead_zone,
        waited=waited,
        offset=dialing_hours(upload_sec[lead], waited, lead_zone, window),
        recycled=recycled,
        written=numbers,
        as_aux=as_aux,
    )

"""What happens on each dial: who answers, which agent takes the call and how it ends.

Contact falls off with speed to lead, agents differ in skill (conversion, talk and wrap
time), called-back LeadFlow callers convert by affiliate, and each campaign abandons about
:data:`ABANDON_RATES` of its live answers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from callanalytics.sample.findings import DialerFindings
from callanalytics.sample.pools import AGENT_DISPOSITIONS, SYSTEM_WEIGHTS, choice
from callanalytics.sample.schedule import Schedule

#: Each campaign's share of live-answered calls abandoned: two well inside the 3% safe
#: harbour, one just inside its margin, one over it.
ABANDON_RATES = (0.015, 0.012, 0.035, 0.027)
#: Agents on the floor.
AGENTS = 14


@dataclass
class Floor:
    """The outcome of each dial (one entry a row); durations in milliseconds, waits in
    seconds."""

    answered: np.ndarray  # a person answered and an agent took the call
    system: np.ndarray  # the pass disposition
    agent: np.ndarray  # the agent's index (meaningful where has_agent)
    agent_disposition: np.ndarray
    has_agent: np.ndarray  # the agent fields are filled
    talk_ms: np.ndarray
    hold_ms: np.ndarray
    wrap_ms: np.ndarray
    wait_ms: np.ndarray
    dial_ms: np.ndarray
    transferred: np.ndarray
    conn: np.ndarray  # seconds from upload to the lead's first answered dial (-1: none)
    speed_seen: np.ndarray  # seconds from upload to the lead's first dial, as Engage sees it
    upload_at: np.ndarray  # the lead's upload time as the export reports it


def work_the_floor(rng: np.random.Generator, plan: Schedule, planted: DialerFindings) -> Floor:
    """Each dial's outcome (the draws in a fixed order: the sample is seeded)."""
    lead = plan.lead
    n = len(lead)
    # Contact falls off with speed to lead (in business time), the pattern the
    # speed-to-lead report shows.
    speed_min = plan.speed[lead] / 60
    p_answer = 0.06 + 0.42 * np.exp(-speed_min / 15)
    answered = rng.random(n) < p_answer
    others = [d for d in SYSTEM_WEIGHTS if d != "ABANDON"]  # abandons: per campaign, below
    weights = np.array([SYSTEM_WEIGHTS[d] for d in others])
    system = np.where(answered, "ANSWER", choice(rng, others, n, weights / weights.sum()))
    system = _abandoned(system, plan.campaign_of[lead], plan.upload_day[lead])

    agent_conv = rng.uniform(0.06, 0.30, AGENTS)
    agent_talk = rng.uniform(2.5, 9.0, AGENTS)
    agent_wrap = rng.uniform(15, 120, AGENTS)
    agent_hours = rng.uniform(0.6, 1.0, AGENTS)
    agent = rng.choice(AGENTS, size=n, p=agent_hours / agent_hours.sum())
    p_sale = agent_conv[agent] * (1.4 - 0.4 * (speed_min > 60)) * plan.boost[lead]
    sale = answered & (rng.random(n) < p_sale)
    non_sale = choice(rng, AGENT_DISPOSITIONS[2:], n, [0.42, 0.2, 0.1, 0.08, 0.2])
    sale_kind = choice(rng, AGENT_DISPOSITIONS[:2], n, [0.8, 0.2])
    agent_disposition = planted.do_not_call(np.where(sale, sale_kind, non_sale), answered, lead)
    has_agent = answered | (system == "ABANDON")
    planted.agents_on_unanswered(has_agent, system)

    talk_cs = (rng.gamma(2.0, agent_talk[agent] / 2.0) * 100).astype(np.int64).clip(5, None)
    talk_ms = np.where(
        answered, talk_cs * 600, np.where(has_agent, 0, rng.integers(0, 40, n) * 600)
    )
    hold_ms = np.where(answered & (rng.random(n) < 0.25), rng.integers(5, 240, n) * 1000, 0)
    wrap_ms = np.where(
        answered, (rng.gamma(2.0, agent_wrap[agent] / 2) + 3).astype(np.int64) * 1000, 0
    )
    wait_ms = np.where(answered, rng.gamma(1.5, 40, n).astype(np.int64) * 1000, 0)
    dial_ms = rng.integers(3, 35, n) * 1000
    transferred = answered & ~sale & (rng.random(n) < 0.08)

    elapsed = plan.offset - plan.upload_sec[lead]
    first_answer = np.full(plan.n_leads, -1, dtype=np.int64)
    for i in np.flatnonzero(answered)[::-1]:
        first_answer[lead[i]] = elapsed[i]
    floor = Floor(
        answered=answered,
        system=system,
        agent=agent,
        agent_disposition=agent_disposition,
        has_agent=has_agent,
        talk_ms=talk_ms,
        hold_ms=hold_ms,
        wrap_ms=wrap_ms,
        wait_ms=wait_ms,
        dial_ms=dial_ms,
        transferred=transferred,
        conn=first_answer[lead],
        speed_seen=elapsed[plan.first_row],  # Engage's wall-clock wait
        upload_at=plan.upload_sec[lead].copy(),
    )
    planted.records(floor, lead, plan.offset)
    return floor


def _abandoned(system: np.ndarray, campaign: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Mark unanswered dials ABANDON so that each campaign's abandonment (ABANDON over ANSWER
    plus ABANDON) is near its rate in ABANDON_RATES over the window and over its first days:
    the abandons are spread evenly over the campaign's days, none in the first few."""
    system = system.copy()
    for index, rate in enumerate(ABANDON_RATES):
        answered = int(((campaign == index) & (system == "ANSWER")).sum())
        count = round(rate / (1 - rate) * answered)
        pool = np.flatnonzero((campaign == index) & (system != "ANSWER"))
        if count and len(pool) >= count:
            pool = pool[np.argsort(day[pool], kind="stable")]
            spread = (np.arange(count) + 1.5) / (count + 0.5)  # none in the first days
            chosen = pool[(spread * len(pool)).astype(np.int64) - 1]
            system[chosen] = "ABANDON"
    return system

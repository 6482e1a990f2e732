"""Shared fixtures. Builders for report files live in ``tests/builders.py``."""

from __future__ import annotations

import pytest


@pytest.fixture
def one_call() -> dict[str, str]:
    """One answered call with the handful of fields tests usually vary."""
    return {
        "callID": "202411031530450000001234567890",
        "ID": "000123",
        "campaign_id": "0042",
        "lead_phone": "+1 (212) 555-0100",
        "zip": "02134",
        "lead_passes": "1",
        "pass_disposition": "ANSWER",
        "call_start": "2024-11-03 15:30:45",
        "duration": "4.35",
        "on_hold": "12",
        "agent_id": "007",
        "speed_to_lead_first_pass": "00:05:30",
        "dial_duration": "9",
    }

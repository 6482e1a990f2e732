"""The schema tables match the documented reports, column for column."""

from __future__ import annotations

import polars as pl

from callanalytics.schema import DIALER_RESULTS, LEADFLOW_HISTORY, Timestamp

# The header of the Dialer Result Download, as the Engage Voice documentation prints it.
DOCUMENTED_DIALER_HEADER = (
    '"callID","ID","campaign_id","campaign_name","country_name","lead_phone","lead_state",'
    '"lead_timezone","title","first_name","mid_name","last_name","suffix","address1",'
    '"address2","city","state","zip","lead_passes","pass_disposition","agent_disposition",'
    '"call_start","duration","agent_notes","agent_id","extern_agent_id","username",'
    '"agent_first_name","agent_last_name","loaded_caller_id","on_hold","dial_type",'
    '"billing_code","aux_data1","aux_data2","aux_data3","aux_data4","aux_data5","aux_phone",'
    '"upload_date","list_state","list_desc","recording_url","term_session","email",'
    '"gate_keeper","live_answer_message","mach_answer_message","int_prefix","int_dest",'
    '"int_cost","transfer_phone","transfer_disp","transfer_duration","transfer_type",'
    '"speed_to_lead_first_pass","speed_to_lead_agent_conn","dial_duration","agent_wait_time",'
    '"agent_wrap_time","transfer_dial_duration","dial_group_id","dial_group_name"'
)
# The response keys of LeadFlow History, in the order the DialogTech documentation lists them.
DOCUMENTED_LEADFLOW_KEYS = [
    "call_date", "set_name", "affiliate", "phone_label", "affiliate_number", "advertiser",
    "offer", "transfer_number", "caller_id", "lead_status", "entered_zip", "lf_state",
    "first_name", "last_name", "street_address", "city", "state", "zipcode", "reroute",
    "repeat_affiliate_caller", "affiliate_cap", "offer_qualified", "offer_price",
    "affiliate_qualified", "affiliate_price", "margin", "talk_minutes", "talk_seconds",
    "total_minutes", "total_seconds", "call_duration", "recording_link",
    "contest_qualification", "sid",
]  # fmt: skip


def test_dialer_table_is_the_documented_63_columns_in_order():
    names = [n.strip('"') for n in DOCUMENTED_DIALER_HEADER.split(",")]
    assert len(names) == 63
    assert DIALER_RESULTS.names == names


def test_leadflow_table_is_the_documented_34_keys_in_order():
    assert LEADFLOW_HISTORY.names == DOCUMENTED_LEADFLOW_KEYS


def test_optional_groups_are_the_ones_the_include_flags_control():
    groups = {c.name: c.group for c in DIALER_RESULTS.columns if c.group}
    assert {n for n, g in groups.items() if g == "transfer"} == {
        n for n in DIALER_RESULTS.names if n.startswith("transfer_")
    }
    assert {n for n, g in groups.items() if g == "speed_to_lead"} == {
        n for n in DIALER_RESULTS.names if n.startswith("speed_to_lead_")
    }
    assert {n for n, g in groups.items() if g == "aux"} == {
        *(f"aux_data{i}" for i in range(1, 6)),
        "aux_phone",
    }


def test_describe_is_one_row_per_column_and_timestamps_carry_the_zone():
    table = DIALER_RESULTS.describe()
    assert table.height == 63 and table["column"].to_list() == DIALER_RESULTS.names
    stamps = [c.name for c in DIALER_RESULTS.columns if isinstance(c.kind, Timestamp)]
    schema = DIALER_RESULTS.polars_schema("America/Chicago")
    assert {schema[n] for n in stamps} == {pl.Datetime("us", "America/Chicago")}
    assert set(LEADFLOW_HISTORY.pii_columns) >= {"caller_id", "first_name", "street_address"}

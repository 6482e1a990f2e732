"""DialogTech *LeadFlow History*: the 34 keys of each JSON record, in documented order."""

from __future__ import annotations

from callanalytics.schema.kinds import Duration, Flag, Id, Money, Text, Timestamp, Vocabulary
from callanalytics.schema.table import Column as C
from callanalytics.schema.table import Schema

#: The documented values of ``lead_status``.
LEAD_STATUSES = ("Connected", "Affiliate Cap", "No Buyer", "Hang Up")

LEADFLOW_HISTORY = Schema(
    name="leadflow_history",
    title="DialogTech LeadFlow History",
    columns=(
        C("call_date", Timestamp(), "When the call hit DialogTech (sent in Eastern time)"),
        C("set_name", Text(), "LeadFlow set that processed the call"),
        C("affiliate", Text(), "Affiliate that generated the call"),
        C("phone_label", Text(), "Label assigned to the phone number"),
        C("affiliate_number", Id(), "Inbound phone number dialed"),
        C("advertiser", Text(), "Advertiser that received the call (null if none)"),
        C("offer", Text(), "Advertiser's offer that received the call (null if none)"),
        C("transfer_number", Id(), "Phone number or IVR of the advertiser"),
        C("caller_id", Id(), "Caller ID of the caller", pii=True),
        C(
            "lead_status",
            Vocabulary(LEAD_STATUSES),
            "Whether the call was transferred to an advertiser",
        ),
        C("entered_zip", Id(), "ZIP entered by the caller when prompted", pii=True),
        C("lf_state", Text(), "Caller's state used to match offers"),
        C("first_name", Text(), "Caller's first name (reverse lookup)", pii=True),
        C("last_name", Text(), "Caller's last name (reverse lookup)", pii=True),
        C("street_address", Text(), "Caller's street address (reverse lookup)", pii=True),
        C("city", Text(), "Caller's city (reverse lookup)"),
        C("state", Text(), "Caller's state (reverse lookup)"),
        C("zipcode", Id(), "Caller's ZIP code (reverse lookup)", pii=True),
        C("reroute", Flag(), "Repeat caller within the offer's reroute timeframe"),
        C(
            "repeat_affiliate_caller",
            Flag(),
            "Repeat caller within the affiliate's unique-caller timeframe",
        ),
        C("affiliate_cap", Flag(), "Caller reached an affiliate capacity setting"),
        C("offer_qualified", Flag(), "Conversion by the offer's criteria"),
        C("offer_price", Money(2), "Offer price if the call qualified"),
        C("affiliate_qualified", Flag(), "Conversion by the affiliate's criteria"),
        C("affiliate_price", Money(2), "Price paid to the affiliate if the call qualified"),
        C("margin", Money(2), "Offer price minus affiliate price"),
        C(
            "talk_minutes",
            Duration("min", 1),
            "Time both parties were connected (tenths of a minute)",
        ),
        C("talk_seconds", Duration("s"), "Time both parties were connected"),
        C("total_minutes", Duration("min", 1), "Call duration"),
        C("total_seconds", Duration("s"), "Call duration"),
        C("call_duration", Duration("min"), "Call duration rounded up to whole minutes"),
        C("recording_link", Text(), "Link to the recording, if any"),
        C("contest_qualification", Flag(), "Advertiser challenged paying for the lead"),
        C("sid", Id(), "Unique DialogTech identifier for the call"),
    ),
)

"""Package data: the calling-rules table and the lookups that place a lead in a state and zone.

- ``us_calling_rules.toml``: one ``[[jurisdiction]]`` per rule set (``US`` is the federal
  default every dial is held to; a state row tightens it), each with its citation.
- ``us_state_zones.csv``: each state's main IANA time zone, and the zones of its minority
  areas (a dial placed only by state uses the main zone).
- ``us_zip3_states.csv``: the state of each 3-digit ZIP prefix range.

:mod:`callanalytics.rules.tables` reads and checks them (``ca.metrics.calling_rules()``);
pass your own table as ``rules=`` to any compliance function.
"""

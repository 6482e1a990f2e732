"""Realistic synthetic reports, so everything runs with no account.

Each generator draws plausible values (dispositions in realistic proportions, agents of
different skill, speed to lead from seconds to days, affiliates with different qualification
rates and prices, negative margins, repeat callers, calls across a DST change), writes them
in the wire format with the schema's column kinds, and reads them back with the same casts
the readers use. ``raw=True`` returns the bytes exactly as the API would send them. A column
the generator has no rule for (one just added to a schema table) is sent empty.

The two samples overlap the way a business running both sees it: about half of the unsold
LeadFlow callers (not offer-qualified) of the LeadFlow sample with the same ``seed``,
``start`` and ``days`` reappear as dialer leads, their numbers written the way list owners
write them (``"(617) 555-0100"``, ``"+1 617 555 0100"``, sometimes as the lead's
``aux_phone``), first dialed minutes to days after their call, and converting at a rate
that depends on the affiliate that brought them (:data:`CALLBACK_CONVERSION`). A few
LeadFlow caller IDs are withheld (``"Restricted"``) or a bare local number.

The floor dials inside each lead's calling hours (9:05–19:55 lead-local, Sundays from
12:05) and honours do-not-call requests; each campaign abandons about
:data:`ABANDON_RATES` of its live answers. Samples of at least :data:`FINDINGS_FROM` rows
carry a few planted findings for the compliance and data-quality reports: four dials just
outside hours (New York 21:05, California 07:45, Florida 20:15, a Texas Sunday 11:30), two
leads with no zone, state or ZIP, one Florida number dialled four times in 24 hours, two
redials after "Do Not Call", one campaign over the 3% abandonment safe harbour and one near
it; two callIDs sent twice, agent fields on two unanswered calls, three leads connected
"before" their first dial, a dial before its upload, a negative duration (-0.5 min) and a
13-hour hold; in LeadFlow two rows each of talk > total, a wrong ``call_duration``, a wrong
``talk_minutes``, a paid call recorded as a hang-up and ``state`` ≠ ``lf_state``, and one
``sid`` twice (a saved file keeps duplicates; the API client drops them).

The modules: ``pools`` (what is drawn from), ``window`` and ``hours`` (the days covered and
the floor's dialing hours), ``wire`` (typed frame to CSV or JSON bytes), ``leadflow``,
``callbacks`` (the callers both share), ``schedule`` and ``floor`` (who is dialled when, and
how each dial ends), ``dialer``, ``findings`` (the planted findings) and ``files``.
"""

from callanalytics.sample.callbacks import CALLBACK_CONVERSION
from callanalytics.sample.dialer import sample_dialer_results
from callanalytics.sample.files import write_sample_files
from callanalytics.sample.findings import FINDINGS_FROM
from callanalytics.sample.floor import ABANDON_RATES
from callanalytics.sample.leadflow import sample_leadflow_history
from callanalytics.sample.window import DEFAULT_START

__all__ = [
    "ABANDON_RATES",
    "CALLBACK_CONVERSION",
    "DEFAULT_START",
    "FINDINGS_FROM",
    "sample_dialer_results",
    "sample_leadflow_history",
    "write_sample_files",
]

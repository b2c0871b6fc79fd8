"""Every read of the cases app, by entity, named ``<entity>_list`` / ``<entity>_get(*, user, ...)``.

- ``visibility``: who may see which case (``cases_visible_to``: the rule every read starts from),
  and the internal notes they may read.
- ``cases``: ``case_get``, ``case_list`` (filters, search, sort) and ``case_list_page`` (its
  keyset-paginated page, the cursor of ``psd.keyset`` that the API's lists use too).
- ``detail``: one case's page: ``allegation_list``, ``track_list``, ``case_deadline_list``
  (and ``deadline_rows``: the open ones with their subject and time left), ``decision_list``,
  ``records_get`` (notes and documents) and ``timeline_list`` (in plain English,
  ``cases.timeline``).
- ``people``: ``person_history_get``, a person's history across the cases the user may see;
  ``early_intervention_list`` (people at the early-intervention threshold).
- ``dashboard``: the dashboard panels (``my_case_list``, ``team_case_list``, ...).
- ``decisions``: the approval queue (``approval_list``, ``decisions_awaiting``),
  ``decision_get``.
- ``users``: who a case may be given to (``role_holder_list``, ``investigator_list``).
- ``lists``: the barred and advisory lists (``list_lookup``).

The team pages' reads are in ``cases.selectors_teams``.
"""

from .cases import case_get, case_list, case_list_page
from .decisions import approval_list, decision_get, decisions_awaiting
from .lists import list_lookup
from .visibility import case_is_visible_to, cases_visible_to, notes_visible_to, user_is_party_to

__all__ = [
    "approval_list",
    "case_get",
    "case_is_visible_to",
    "case_list",
    "case_list_page",
    "cases_visible_to",
    "decision_get",
    "decisions_awaiting",
    "list_lookup",
    "notes_visible_to",
    "user_is_party_to",
]

"""Case search (issue 21 item 3, issue 22 item 5): one box for references, people and words.

What a term finds, each part through an index (never a scan of every case):

- a reference (``PSD-2026-000123``; ``2026-123`` and lower case too): that case only, by the
  unique index on ``reference``;
- people: cases whose subjects' surname or number starts with the term ("jo smi": forename
  Jo*, surname Smi*), by the prefix indexes of accounts/0005; cases whose complainants (not
  anonymous) have the term in their name or organisation, by trigram indexes (migration
  cases/0006; terms of three characters or more);
- words in the case's summary or in any of its allegations' summaries, by full-text indexes
  (English stemming, so "searched vehicles" finds "Search of a vehicle"; every word must be in
  the same summary; quotes for a phrase, ``or``, and ``-word`` to exclude, as PostgreSQL's
  ``websearch_to_tsquery`` reads them).

On PostgreSQL ``case_ids_matching`` first collects the matching case ids from those indexes,
stopping after ``CANDIDATES``: a rare term's few ids then filter the list directly. A common
term's list walks its keyset index, stopping after a page, and tests each case against the
sets of matching ids (each built and hashed once); a very common term (PostgreSQL's estimate
above ``ROW_BY_ROW_ABOVE``) instead tests each walked case on its own (its allegations by the
case's index), since a page then fills after a few hundred cases while the sets would hold a
large part of the table. SQLite (development) has no such indexes: the same parts with
``LIKE``, words AND-ed in one summary, which is correct and fast enough for small data.

Visibility is not decided here: callers filter ``cases_visible_to(user)`` with the result.
"""

from __future__ import annotations

import json
import re

from django.contrib.postgres.search import SearchQuery, SearchVector, SearchVectorExact
from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet

from accounts.selectors import person_search

from ..models import Allegation, AllegationSubject, Case, Complainant

# A rare term's matching ids are passed to the list as values up to this many.
CANDIDATES = 1000
# Above this many (estimated) matches, each case the list walks is tested on its own: about
# where the two ways cost the same at national scale (a set of 20,000 ids built and hashed,
# against some 900 cases tested one by one for a page), and well inside what PostgreSQL hashes
# in the default work_mem (beyond it, a set is scanned for every case: far slower).
ROW_BY_ROW_ABOVE = 20_000
# The text search configuration of the full-text indexes (migration cases/0006).
TEXT_CONFIG = "english"
# Complainant names are matched by trigrams: shorter terms have none.
MIN_CONTAINS = 3
_REFERENCE = re.compile(r"^(?:PSD-)?(\d{4})-(\d{1,6})$", re.IGNORECASE)


def as_reference(term: str) -> str | None:
    """The case reference ``term`` spells (``psd-2026-123`` -> ``PSD-2026-000123``), or None."""
    match = _REFERENCE.match(term.strip())
    if not match:
        return None
    return f"PSD-{match.group(1)}-{int(match.group(2)):06d}"


def words_match(field: str, term: str) -> Q:
    """``field`` holds every word of ``term``: full text on PostgreSQL (the expression of the
    GIN indexes), ``LIKE`` on SQLite."""
    if connection.vendor == "postgresql":
        return Q(
            SearchVectorExact(
                SearchVector(field, config=TEXT_CONFIG),
                SearchQuery(term, config=TEXT_CONFIG, search_type="websearch"),
            )
        )
    words = [word for word in (w.strip('"') for w in term.split()) if word]
    if not words:
        return Q(pk__in=[])
    condition = Q()
    for word in words:
        condition &= Q(**{f"{field}__icontains": word})
    return condition


def _parts(term: str) -> list[tuple[QuerySet, str]]:
    """Each part of the search (see the module's docstring): the rows it matches and the
    field that names their case."""
    people = person_search(query=term).order_by().values("pk")
    parts = [
        (AllegationSubject.objects.filter(person__in=people), "allegation__case_id"),
        (Case.objects.filter(words_match("summary", term)), "pk"),
        (Allegation.objects.filter(words_match("summary", term)), "case_id"),
    ]
    if len(term) >= MIN_CONTAINS:
        named = Q(name__icontains=term) | Q(organisation__icontains=term)
        parts.append((Complainant.objects.filter(named, anonymous=False), "case_id"))
    return parts


def _id_sets(term: str) -> list[QuerySet]:
    """One query of case ids per part."""
    return [rows.order_by().values_list(field) for rows, field in _parts(term)]


def _union(term: str) -> QuerySet:
    parts = _id_sets(term)
    return parts[0].union(*parts[1:], all=True)


def search_filter(term: str) -> Q:
    """The condition on ``Case`` of the cases ``term`` finds, as sets of matching ids (one
    query on any database; PostgreSQL hashes each set once)."""
    term = term.strip()
    reference = as_reference(term)
    if reference:
        return Q(reference=reference)
    condition = Q(pk__in=[])
    for ids in _id_sets(term):
        condition |= Q(pk__in=ids)
    return condition


def _row_by_row_filter(term: str) -> Q:
    """The same condition tested for each case the list walks (a correlated EXISTS per part):
    for a term so common that a page fills after a few hundred cases."""
    condition = Q(pk__in=[])
    for rows, field in _parts(term):
        # The case is matched by a range (>= and <=), not by "=": PostgreSQL turns an
        # equality-correlated EXISTS into a hashed set of every match when it expects that to
        # be cheaper, and its estimate for common words is low (13,660 expected, 67,513 found
        # for "vehicle search" at 1.35M allegations): 254 ms instead of 17 ms for a page.
        # A range cannot be hashed, so each walked case is tested by its own index lookup.
        same_case = {f"{field}__gte": OuterRef("pk"), f"{field}__lte": OuterRef("pk")}
        condition |= Q(Exists(rows.filter(**same_case)))
    return condition


def case_ids_matching(term: str) -> list[int] | None:
    """PostgreSQL: the ids of every case ``term`` finds when there are at most
    ``CANDIDATES`` of them (one UNION query over the indexes); None when there are more, or
    on SQLite (then filter with ``search_filter``)."""
    term = term.strip()
    if connection.vendor != "postgresql" or as_reference(term) or not term:
        return None
    rows = list(_union(term)[: CANDIDATES + 1])
    if len(rows) > CANDIDATES:
        return None
    return sorted({row[0] for row in rows})


def _estimated_matches(term: str) -> float:
    """PostgreSQL's estimate of how many rows the parts match (EXPLAIN, no execution)."""
    sql, params = _union(term).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return float(plan[0]["Plan"]["Plan Rows"])


def search_cases(cases: QuerySet[Case], term: str) -> QuerySet[Case]:
    """``cases`` narrowed to those ``term`` finds, in the way that is fast for this term: a
    rare term by its few ids; a common one by the hashed sets of ids; on PostgreSQL a very
    common one (estimated above ``ROW_BY_ROW_ABOVE`` matches, where building those sets costs
    more than testing the few hundred cases a page needs) case by case."""
    ids = case_ids_matching(term)
    if ids is not None:
        return cases.filter(pk__in=ids)
    term = term.strip()
    if (
        connection.vendor == "postgresql"
        and not as_reference(term)
        and _estimated_matches(term) > ROW_BY_ROW_ABOVE
    ):
        return cases.filter(_row_by_row_filter(term))
    return cases.filter(search_filter(term))

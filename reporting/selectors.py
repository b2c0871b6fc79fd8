"""Reads for the triage pages. Decryption happens here, only for callers the view has checked."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from . import crypto, receipt, throttle
from .models import OPEN_STATUSES, Evidence, Report, ReportEvent, ReportMessage


@dataclass(frozen=True)
class MessageView:
    direction: str
    direction_label: str
    sent_on: object
    body: str


def reports_visible_to(user) -> QuerySet[Report]:
    """Reports a PSD user may open (issue 12): PSD heads and auditors (``cases.view_all_cases``)
    every report; others the reports routed to their team (or to a team they supervise) and
    the reports routed to no team (the shared list). Role permissions are checked by views."""
    reports = Report.objects.all()
    if user.has_perm("cases.view_all_cases"):
        return reports
    rule = Q(team=None) | Q(team__supervisor=user)
    if user.team_id:
        rule |= Q(team_id=user.team_id)
    return reports.filter(rule)


def report_list(*, status: str = "", user=None) -> QuerySet[Report]:
    reports = reports_visible_to(user) if user is not None else Report.objects.all()
    reports = (
        reports.select_related("team")
        .defer("sealed_content", "code_hash")
        .order_by("-received_on", "-pk")
    )
    return reports.filter(status=status) if status else reports


def reports_queued_for(*, team) -> QuerySet[Report]:
    """Open reports routed to ``team`` (its queue), oldest first; content stays sealed."""
    return (
        Report.objects.defer("sealed_content", "code_hash")
        .filter(team=team, status__in=OPEN_STATUSES)
        .order_by("received_on", "pk")
    )


def report_get(*, pk: int, user=None) -> Report:
    """The report; Report.DoesNotExist if missing or (given ``user``) not theirs to open."""
    reports = reports_visible_to(user) if user is not None else Report.objects.all()
    return reports.get(pk=pk)


def report_get_or_none(*, pk: int) -> Report | None:
    return Report.objects.filter(pk=pk).first()


class CodeRefused(Exception):
    """Too many wrong codes with this code's lookup key this hour (``throttle``)."""


def report_find(*, code: str) -> Report | None:
    """The report whose receipt code this is, or None; ``CodeRefused`` while the code's lookup
    key is throttled. Wrong codes are counted as ``throttle`` explains (never per visitor).

    A miss still costs one Argon2 verification (against a dummy hash), so a wrong code takes
    as long to refuse as a right one takes to accept — until the site-wide ceiling of failed
    lookups is reached, when a code matching no report is refused without that work.
    """
    lookup = receipt.lookup_id(code)
    candidates = list(Report.objects.filter(lookup_id=lookup))
    if not candidates:
        if not throttle.over_code_ceiling():
            receipt.burn_time(code)
        throttle.record("code-failed")
        return None
    if throttle.key_refused(lookup):
        raise CodeRefused
    for report in candidates:
        if receipt.verify(report.code_hash, code):
            return report
    throttle.record("code-key", lookup)
    throttle.record("code-failed")
    return None


def report_content(*, report: Report) -> dict:
    """The reporter's words (what, who, when, where, name), decrypted."""
    return crypto.unseal_json(report.sealed_content)


def report_conversation(*, report: Report) -> list[MessageView]:
    return [
        MessageView(
            direction=message.direction,
            direction_label=message.get_direction_display(),
            sent_on=message.sent_on,
            body=crypto.unseal_text(message.sealed_body),
        )
        for message in ReportMessage.objects.filter(report=report).order_by("pk")
    ]


def report_evidence_named(*, report: Report) -> list[tuple[Evidence, str]]:
    """Each evidence file with its original name (decrypted), without loading the file."""
    files = Evidence.objects.filter(report=report).defer("sealed_data")
    return [(item, crypto.unseal_json(item.sealed_name)["name"]) for item in files]


def evidence_get(*, report_pk: int, pk: int, user=None) -> Evidence:
    evidence = Evidence.objects.select_related("report")
    if user is not None:
        evidence = evidence.filter(report__in=reports_visible_to(user))
    return evidence.get(report_id=report_pk, pk=pk)


def report_events(*, report: Report) -> QuerySet[ReportEvent]:
    return ReportEvent.objects.filter(report=report).select_related("actor").order_by("at", "pk")

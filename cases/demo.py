"""Demo cases in several states, built through the services as users would."""

import datetime

from django.utils import timezone

from accounts.models import Person, User

from . import services
from .models import (
    Action,
    AllegationCategory,
    Case,
    CaseType,
    Finding,
    ReferralCriterion,
    Severity,
    Standard,
)
from .services import AllegationData, ComplainantData, OutcomeData


def _ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def _allegation(summary, category, subjects, *standards):
    """``category``: "Category: Sub-category" (the IOPC's, seeded by stats migration 0003)."""
    top, _, sub = category.partition(": ")
    group = AllegationCategory.objects.get(name=top, parent=None)
    return AllegationData(
        summary=summary,
        category=group.children.get(name=sub) if sub else group,
        subjects=subjects,
        standards=list(Standard.objects.filter(name__in=standards)),
    )


def load(out) -> None:
    try:
        ivy = User.objects.get(username="ivy.investigator")
        sue = User.objects.get(username="sue.supervisor")
        aaron = User.objects.get(username="aaron.authority")
    except User.DoesNotExist:
        return
    _team_queue_and_workload(out, sue)
    if Case.objects.filter(created_by=ivy).exists():
        out.write("  demo cases: already there")
        return
    people = {p.number: p for p in Person.objects.all()}
    morgan, patel, hughes = people["PC1024"], people["PC2210"], people["PS0417"]

    # 1. A complaint with two allegations, newly received.
    services.case_create(
        actor=ivy,
        case_type=CaseType.COMPLAINT,
        received_on=_ago(3),
        supervisor=sue,
        summary="Complainant says officers were rude and searched her car without reason.",
        complainants=[ComplainantData(name="Jane Doe", email="jane@example.org")],
        allegations=[
            _allegation(
                "Spoke rudely and swore at the complainant",
                "Individual behaviours: Impolite language/tone",
                [morgan],
                "Authority, respect and courtesy",
            ),
            _allegation(
                "Searched the vehicle without grounds",
                "Police powers, policies and procedures: Stops, and stop and search",
                [patel],
                "Duties and responsibilities",
            ),
        ],
    )
    # 2. A recorded complaint referred to the IOPC for an alleged serious assault.
    case = services.case_create(
        actor=ivy,
        case_type=CaseType.COMPLAINT,
        received_on=_ago(40),
        supervisor=sue,
        summary="Detained man alleges he was punched in custody.",
        complainants=[ComplainantData(name="John Roe")],
        allegations=[
            _allegation(
                "Punched a detained person", "Discreditable conduct", [hughes], "Use of force"
            )
        ],
    )
    services.case_record(actor=ivy, case=case, recorded_on=_ago(38))
    services.case_assess_referral(
        actor=ivy,
        case=case,
        rationale="Alleged serious assault: mandatory referral",
        criteria=[ReferralCriterion.objects.get(code="serious_assault")],
    )
    services.case_refer_to_iopc(actor=ivy, case=case, referred_on=_ago(37))

    # 3. A conduct matter at outcome approval stage: written warning after a meeting.
    case = services.case_create(
        actor=ivy,
        case_type=CaseType.CONDUCT_MATTER,
        received_on=_ago(200),
        supervisor=sue,
        source="data_audit",
        summary="Audit found repeated checks on a neighbour's record.",
        allegations=[
            _allegation(
                "Accessed police systems without a policing purpose",
                "Access and/or disclosure of information",
                [patel],
                "Confidentiality",
            )
        ],
    )
    # Not recordable (no C&M Regs 2020 reg 7(1) description, no referral): handled under the
    # Conduct Regulations directly, outside the Schedule 3 figures.
    services.case_handle_under_conduct_regulations(
        actor=ivy,
        case=case,
        reason="Misuse of systems with no onward disclosure: no reg 7(1) description applies.",
    )
    services.case_start_investigation(actor=ivy, case=case)
    track = case.tracks.get()
    services.track_assess_severity(
        actor=ivy,
        track=track,
        severity=Severity.MISCONDUCT,
        rationale="Misuse of systems, no onward disclosure",
    )
    services.track_serve_notice(actor=ivy, track=track, served_on=_ago(150))
    services.case_submit_report(actor=ivy, case=case, summary="Access confirmed by audit logs")
    decision = services.case_propose_case_to_answer(
        actor=ivy, case=case, answers={track.pk: True}, rationale="Audit evidence"
    )
    services.decision_approve(actor=aaron, decision=decision)
    services.track_refer_to_proceedings(
        actor=ivy, track=track, forum="meeting", date=_ago(60), notice_on=_ago(90)
    )
    services.track_conclude_proceedings(actor=ivy, track=track, held_on=_ago(60))
    services.outcome_propose(
        actor=ivy,
        case=case,
        rationale="Meeting found misconduct proven",
        outcomes=[
            OutcomeData(
                allegation=case.allegations.get(),
                track=track,
                finding=Finding.MISCONDUCT_PROVEN,
                action=Action.WRITTEN_WARNING,
            )
        ],
    )
    out.write("  demo cases: 3 created (one awaits Sue's approval)")


def _team_queue_and_workload(out, sue) -> None:
    """Two cases waiting in Team A's queue, and an old case of Isla's whose 12-month report is
    overdue, so the team page shows a queue and an uneven workload (issue 12)."""
    isla = User.objects.filter(username="isla.investigator").first()
    if isla is None or Case.objects.filter(created_by=sue).exists():
        return
    people = {p.number: p for p in Person.objects.all()}
    services.case_create(
        actor=sue,
        case_type=CaseType.COMPLAINT,
        received_on=_ago(1),
        unassigned=True,
        summary="Caller says a PCSO filmed her children without explanation.",
        complainants=[ComplainantData(name="Amy Grant", phone="01632 960123")],
        allegations=[
            _allegation(
                "Filmed children without a policing purpose",
                "Police powers, policies and procedures: Other policies and procedures",
                [people["PCSO5120"]],
                "Duties and responsibilities",
            )
        ],
    )
    services.case_create(
        actor=sue,
        case_type=CaseType.CONDUCT_MATTER,
        received_on=_ago(2),
        source="internal",
        unassigned=True,
        summary="Custody record amended after the detainee's release.",
        allegations=[
            _allegation(
                "Altered a custody record after the event",
                "Discreditable conduct",
                [people["S40112"]],
                "Honesty and integrity",
            )
        ],
    )
    old = services.case_create(
        actor=sue,
        case_type=CaseType.COMPLAINT,
        received_on=_ago(400),
        investigator=isla,
        supervisor=sue,
        summary="Complaint that a roads officer's manner at a collision was dismissive.",
        complainants=[ComplainantData(name="Owen Price", email="owen@example.org")],
        allegations=[
            _allegation(
                "Dismissive manner towards a collision victim",
                "Individual behaviours: Unprofessional attitude and disrespect",
                [people["PC4471"]],
                "Authority, respect and courtesy",
            )
        ],
    )
    services.case_record(actor=isla, case=old, recorded_on=_ago(395))
    out.write("  demo team: 2 cases in Team A's queue; Isla's 12-month report is overdue")

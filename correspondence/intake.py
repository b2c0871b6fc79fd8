"""A complaint sent through the public form becomes a received complaint in the intake team's
queue, made by the ordinary case-creation service, and its acknowledgement is generated.

The form acts as a service account (``FORM_USERNAME``): it can log cases and nothing else,
cannot sign in (no usable password) and sees no case. Every case it logs is audited as made
by it, so the trail says the complaint came from the public form.
"""

import datetime

from django.conf import settings
from django.contrib.auth.models import Permission
from django.db import transaction
from django.utils import timezone

from accounts.models import Team, User
from cases.models import AllegationCategory, Case, CaseType, Source
from cases.services import AllegationData, ComplainantData, RecordingWish, case_create
from psd.domain import DomainError

from . import services
from .complaint_forms import RECORD
from .context import Inputs
from .models import SentHow

FORM_USERNAME = "online-complaint-form"
UNAVAILABLE = (
    "The online complaint form cannot take complaints at the moment. Please contact the "
    "force by phone or in writing instead."
)


def intake_team() -> Team | None:
    """``PSD_COMPLAINT_INTAKE_TEAM`` by name, else the team that receives anonymous reports."""
    name = settings.PSD_COMPLAINT_INTAKE_TEAM
    teams = Team.objects.select_related("supervisor")
    if name:
        return teams.filter(name=name).first()
    return teams.filter(receives_anonymous_reports=True).first()


def form_user() -> User:
    user, created = User.objects.get_or_create(
        username=FORM_USERNAME, defaults={"first_name": "Online", "last_name": "complaint form"}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label="cases", codename="add_case")
        )
        user = User.objects.get(pk=user.pk)  # a fresh permission cache
    return user


def _summary(answers: dict) -> str:
    what, when = answers["what-happened"], answers["when-and-where"]
    who, wanted = answers["who"], answers["what-you-want"]
    day = datetime.date.fromisoformat(when["when"])
    return "\n\n".join(
        [
            "Complaint made through the online form.",
            f"What happened:\n{what['what']}",
            f"When: {day.day} {day:%B %Y}. Where: {when['where']}",
            f"Officers or staff involved:\n{who.get('who') or 'Not known'}",
            f"What the complainant wants:\n{wanted['wanted']}",
            f"Formally recorded: {dict(RECORD)[wanted['record']]}",
        ]
    )


# The IOPC category a complaint from the form starts under until the caseworker assesses it
# (the public do not choose categories; "Delivery of duties and service" is the general one).
PROVISIONAL_CATEGORY = "Delivery of duties and service"


def _provisional_allegation(answers: dict) -> AllegationData:
    """Every non-DSI case needs an allegation (cases.services.case_create). The complainant's
    account is the first one, about the force until the officers are identified; the
    caseworker splits it, names subjects and sets the category when logging it properly."""
    category = AllegationCategory.objects.filter(
        parent=None, name=PROVISIONAL_CATEGORY, active=True
    ).first()
    if category is None:
        raise DomainError(UNAVAILABLE)
    return AllegationData(
        summary=answers["what-happened"]["what"].strip(),
        category=category,
        about_force=True,
    )


@transaction.atomic
def complaint_submit(*, answers: dict) -> Case:
    """Log the complaint (received today, unassigned in the intake queue) and generate the
    acknowledgement, sent by e-mail when an address was given. The complainant's answer on
    recording is kept on the case: a "yes" means it must be recorded (PRA 2002 Sch 3 para
    2(6A)(a); ``cases.services.outside``)."""
    team = intake_team()
    if team is None:
        raise DomainError(UNAVAILABLE)
    about = answers["about-you"]
    for_other = about["for_someone_else"] == "yes"
    complainant = ComplainantData(
        name=(about["on_behalf_of"] if for_other else about["name"]).strip(),
        email=about.get("email", ""),
        phone=about.get("phone", ""),
        address=about.get("address", ""),
        acting_for=about["name"].strip() if for_other else "",
    )
    actor = form_user()
    received_on = timezone.localdate()
    case = case_create(
        actor=actor,
        case_type=CaseType.COMPLAINT,
        summary=_summary(answers),
        received_on=received_on,
        source=Source.PUBLIC,
        complainants=[complainant],
        allegations=[_provisional_allegation(answers)],
        team=team,
        unassigned=True,
        recording_wish=RecordingWish(
            answer=answers["what-you-want"]["record"], on=received_on, channel="public_form"
        ),
    )
    services.letter_create(
        by=actor,
        case=case,
        kind="acknowledgement",
        inputs=Inputs(sent_on=timezone.localdate()),
        sent_how=SentHow.EMAIL if complainant.email else SentHow.POST,
    )
    return case

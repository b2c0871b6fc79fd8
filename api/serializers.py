"""What the API reads and accepts. Input serializers only validate shape and types: every
write is then handed to the case services, which apply the rules (never ``serializer.save``)."""

import datetime
from collections.abc import Mapping

from django.utils import timezone
from rest_framework import serializers

from accounts.models import Person, User
from cases.models import (
    Allegation,
    AllegationCategory,
    Case,
    CaseType,
    ComplainantKind,
    ComplaintResult,
    Forum,
    Handling,
    InvestigationMode,
    Severity,
    Source,
    Standard,
    SubjectTrack,
)
from cases.selectors.users import approver_list
from deadlines.models import Deadline

# Dates before this are refused as input: no case of this system is older, and the clocks
# are not meant to run over centuries.
EARLIEST_DATE = datetime.date(1990, 1, 1)
LATEST_DATE = datetime.date(2100, 12, 31)


class StrictMixin:
    """Refuse fields the serializer does not accept (DRF ignores them silently)."""

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            unknown = sorted(str(key) for key in data if key not in writable)
            if unknown:
                raise serializers.ValidationError({name: ["Unknown field."] for name in unknown})
        return super().to_internal_value(data)


class Error(serializers.Serializer):
    """Every 4xx answer."""

    detail = serializers.CharField()
    errors = serializers.DictField(
        required=False,
        child=serializers.JSONField(),
        help_text="Per field, the reasons it was refused (400 only).",
    )


# --- reads ------------------------------------------------------------------------------------


def _blank_choice(choices):
    """A read-only choice that is blank until set (the schema says so)."""
    return serializers.ChoiceField(
        choices=[c for c in choices.choices if c[0]], allow_blank=True, read_only=True
    )


class Subject(serializers.ModelSerializer):
    """One person's track through the case (target of the subject actions)."""

    person = serializers.IntegerField(source="person_id")
    person_name = serializers.CharField(source="person.full_name")
    severity = _blank_choice(Severity)
    forum = _blank_choice(Forum)

    class Meta:
        model = SubjectTrack
        fields = [
            "id",
            "person",
            "person_name",
            "state",
            "severity",
            "special_case",
            "notice_served_on",
            "forum",
            "proceedings_date",
            "concluded_on",
        ]


class CaseSummary(serializers.ModelSerializer):
    investigator = serializers.SlugRelatedField(slug_field="username", read_only=True)
    supervisor = serializers.SlugRelatedField(slug_field="username", read_only=True)
    team = serializers.PrimaryKeyRelatedField(read_only=True)
    team_name = serializers.SlugRelatedField(source="team", slug_field="name", read_only=True)
    handling = _blank_choice(Handling)
    investigation_mode = _blank_choice(InvestigationMode)
    complaint_result = _blank_choice(ComplaintResult)

    class Meta:
        model = Case
        fields = [
            "reference",
            "case_type",
            "regime",
            "source",
            "state",
            "summary",
            "received_on",
            "recorded_on",
            "handling",
            "investigation_mode",
            "complaint_result",
            "outcome_sent_on",
            "finalised_at",
            "investigator",
            "supervisor",
            "team",
            "team_name",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class CaseDetail(CaseSummary):
    subjects = Subject(source="tracks", many=True, read_only=True)

    class Meta(CaseSummary.Meta):
        fields = [*CaseSummary.Meta.fields, "subjects"]
        read_only_fields = fields


class AllegationOut(serializers.ModelSerializer):
    category = serializers.PrimaryKeyRelatedField(read_only=True)
    category_name = serializers.CharField(source="category.name", read_only=True)
    standards = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    subjects = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Allegation
        fields = [
            "id",
            "number",
            "summary",
            "category",
            "category_name",
            "standards",
            "subjects",
            "about_force",
            "withdrawn",
            "created_at",
        ]
        read_only_fields = fields


class PersonOut(serializers.ModelSerializer):
    force = serializers.CharField(source="force.name")
    rank = serializers.CharField(source="rank.name", default=None, allow_null=True)
    department = serializers.CharField(source="department.name", default=None, allow_null=True)

    class Meta:
        model = Person
        fields = [
            "id",
            "number",
            "forename",
            "surname",
            "force",
            "rank",
            "department",
            "role_type",
            "status",
        ]
        read_only_fields = fields


class DeadlineOut(serializers.ModelSerializer):
    kind = serializers.CharField(source="kind.code")
    kind_name = serializers.CharField(source="kind.name")
    owner = serializers.SlugRelatedField(slug_field="username", read_only=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Deadline
        fields = [
            "id",
            "kind",
            "kind_name",
            "label",
            "trigger_date",
            "due_date",
            "status",
            "owner",
            "overdue",
            "met_at",
            "met_late",
        ]
        read_only_fields = fields

    def get_overdue(self, deadline) -> bool:
        return deadline.is_overdue(timezone.localdate())


# --- writes -----------------------------------------------------------------------------------


class BoundedDate(serializers.DateField):
    def to_internal_value(self, value):
        day = super().to_internal_value(value)
        if not EARLIEST_DATE <= day <= LATEST_DATE:
            raise serializers.ValidationError(
                f"Give a date from {EARLIEST_DATE:%d/%m/%Y} to {LATEST_DATE:%d/%m/%Y}."
            )
        return day


class AllegationIn(StrictMixin, serializers.Serializer):
    summary = serializers.CharField(max_length=5000)
    category = serializers.PrimaryKeyRelatedField(
        queryset=AllegationCategory.objects.filter(active=True)
    )
    standards = serializers.PrimaryKeyRelatedField(
        queryset=Standard.objects.all(), many=True, required=False, default=list
    )
    subjects = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.all(),
        many=True,
        required=False,
        default=list,
        help_text="Ids of the people the allegation is about (GET /api/people/).",
    )
    about_force = serializers.BooleanField(required=False, default=False)


class AllegationAdd(AllegationIn):
    expected_version = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=2**31 - 1,
        help_text="The case version you read: refused with 409 if it changed since.",
    )


class ComplainantIn(StrictMixin, serializers.Serializer):
    kind = serializers.ChoiceField(choices=ComplainantKind.choices, default=ComplainantKind.PERSON)
    name = serializers.CharField(max_length=160, required=False, allow_blank=True, default="")
    organisation = serializers.CharField(
        max_length=160, required=False, allow_blank=True, default=""
    )
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    address = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")
    acting_for = serializers.CharField(max_length=160, required=False, allow_blank=True, default="")
    anonymous = serializers.BooleanField(required=False, default=False)


class CaseCreate(StrictMixin, serializers.Serializer):
    case_type = serializers.ChoiceField(choices=CaseType.choices)
    source = serializers.ChoiceField(choices=Source.choices, default=Source.PUBLIC)
    received_on = BoundedDate()
    summary = serializers.CharField(max_length=5000)
    supervisor = serializers.SlugRelatedField(
        slug_field="username",
        queryset=User.objects.none(),
        required=False,
        allow_null=True,
        default=None,
        help_text="Username of a supervisor who may approve decisions.",
    )
    to_queue = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Put it in your team's queue for the supervisor to allocate (otherwise you "
        "become its investigator), as the new-case page offers.",
    )
    complainants = ComplainantIn(many=True, required=False, default=list, max_length=50)
    allegations = AllegationIn(many=True, required=False, default=list, max_length=100)
    recording_wish = serializers.ChoiceField(
        choices=["yes", "no", "unsure"],
        required=False,
        allow_null=True,
        default=None,
        help_text="A complaint: whether the complainant, when they made it, wanted it formally "
        "recorded, as the new-case page asks. A yes means it must be recorded (PRA 2002 Sch 3 "
        "para 2(6A)(a)): handling it outside Schedule 3 is then refused.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supervisor"].queryset = approver_list()

    def validate_received_on(self, day):
        if day > timezone.localdate():
            raise serializers.ValidationError("The date received cannot be in the future.")
        return day


# --- actions ---------------------------------------------------------------------------------


class ActionField(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    type = serializers.CharField()
    required = serializers.BooleanField()
    choices = serializers.ListField(child=serializers.JSONField(), required=False)


class ActionOut(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    scope = serializers.ChoiceField(choices=["case", "track", "rprp", "decision"])
    target = serializers.IntegerField(
        help_text="0 for the case; else the subject's, RPRP's or proposal's id"
    )
    expected = serializers.CharField(help_text="Send it back to have a stale request refused.")
    fields = ActionField(many=True)


class ActionDone(serializers.Serializer):
    message = serializers.CharField()
    case = CaseDetail(allow_null=True, help_text="The case now; null if you may no longer see it.")


# --- barred and advisory lists --------------------------------------------------------------


class ListEntryOut(serializers.Serializer):
    """One barred or advisory list entry (Police Act 1996 Part 4A), with the actions you may
    take on it now (POST /api/list-entries/{kind}/{id}/actions/{name}/)."""

    kind = serializers.ChoiceField(choices=["barred", "advisory"])
    id = serializers.IntegerField()
    paragraph = serializers.CharField(
        allow_blank=True, help_text="The duty to report: s88A(1)(a)-(d), s88I(1)(a)-(d)."
    )
    full_name = serializers.CharField()
    number = serializers.CharField()
    case = serializers.CharField(allow_null=True, help_text="The case's reference, if any.")
    event_date = serializers.DateField()
    report_due = serializers.DateField()
    reported_on = serializers.DateField(allow_null=True)
    status = serializers.CharField()
    further_event_on = serializers.DateField(allow_null=True)
    further_reason = serializers.CharField(allow_blank=True)
    further_report_due = serializers.DateField(allow_null=True)
    further_reported_on = serializers.DateField(allow_null=True)
    removed_on = serializers.DateField(allow_null=True)
    removal_reason = serializers.CharField(allow_blank=True)
    actions = serializers.ListField(child=serializers.CharField())


class ListActionDone(serializers.Serializer):
    message = serializers.CharField()
    entry = ListEntryOut()


# --- statistics ------------------------------------------------------------------------------


class StatTable(serializers.Serializer):
    name = serializers.CharField()
    title = serializers.CharField()
    headers = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(child=serializers.ListField(child=serializers.JSONField()))
    total = serializers.ListField(child=serializers.JSONField(), allow_null=True)
    note = serializers.CharField(allow_blank=True)


class StatPeriod(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    label = serializers.CharField()


class Statistics(serializers.Serializer):
    period = StatPeriod()
    scope = serializers.CharField()
    tables = StatTable(many=True)

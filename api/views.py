"""The REST API: the pages' selectors, permissions, audit of reads and services, as JSON.

Every view is let through Django's ``LoginRequiredMiddleware`` (``login_not_required``)
because DRF authenticates inside the view (token or verified session) and then refuses
anonymous callers itself with 401 JSON. Objects the caller may not see answer 404.
"""

import re

from django.contrib.auth.decorators import login_not_required
from django.db.models import Prefetch
from django.http import Http404, JsonResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, permissions, routers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from accounts.models import Person
from accounts.selectors import person_get
from audit.reads import get_logged_or_404
from audit.services import audit_read
from cases import list_actions
from cases import services as case_services
from cases.actions import page as case_actions
from cases.actions.runs import fingerprint
from cases.actions_available import available_actions
from cases.models import AdvisoryListEntry, BarredListEntry, Case, CaseType, SubjectTrack
from cases.selectors import cases_visible_to
from cases.selectors.detail import allegation_list, case_deadline_list
from deadlines import selectors as deadline_selectors
from deadlines.models import Deadline, Status
from psd.domain import StaleObject
from stats import selectors as stats_selectors
from stats.forms import PeriodForm

from . import action_inputs
from . import serializers as s
from .action_inputs import API_ACTIONS, NOT_IN_API
from .filters import CaseFilter, PersonFilter
from .pagination import CaseCursor, DeadlineCursor, PersonCursor

REFERENCE = re.compile(r"^[A-Za-z0-9-]{1,20}$")


def has_perm(perm: str) -> type[permissions.BasePermission]:
    """A DRF permission: signed in (token or verified session) and holding ``perm``."""

    class HasPerm(permissions.IsAuthenticated):
        message = "Your role does not allow this."

        def has_permission(self, request, view):
            return super().has_permission(request, view) and request.user.has_perm(perm)

    HasPerm.__name__ = f"Has_{perm.replace('.', '_')}"
    return HasPerm


class Public:
    # Let DRF, not the login middleware, refuse anonymous callers (401 JSON, not a 302).
    # (DRF 3.16+ already marks its views so; this keeps it explicit and version-proof.)

    @classmethod
    def as_view(cls, *args, **kwargs):
        return login_not_required(super().as_view(*args, **kwargs))

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # ``?state=`` is a mistake to report (400), not a filter to drop silently.
        empty = sorted({name for name, values in request.query_params.lists() if "" in values})
        if empty:
            raise exceptions.ValidationError(
                {name: ["Give a value, or leave the parameter out."] for name in empty}
            )


class Root(Public, routers.APIRootView):
    """The browsable API's index."""


def _case_queryset(user):
    return cases_visible_to(user).select_related("investigator", "supervisor", "team")


def _case(request, reference: str, *, audit: bool) -> Case:
    """The case if the caller may see it, else 404 (a refused read of a hidden one is logged);
    with ``audit`` the read is logged as the case page logs it (DPA 2018 s62)."""
    if not REFERENCE.match(reference):
        raise Http404
    queryset = _case_queryset(request.user).prefetch_related(
        Prefetch("tracks", queryset=SubjectTrack.objects.select_related("person").order_by("pk"))
    )
    if audit:
        return get_logged_or_404(request, queryset, reference=reference)
    try:
        return queryset.get(reference=reference)
    except Case.DoesNotExist:
        raise Http404 from None


@extend_schema_view(
    list=extend_schema(operation_id="cases_list", summary="Cases you may see"),
    retrieve=extend_schema(operation_id="cases_retrieve", summary="One case (the read is logged)"),
)
class CaseViewSet(Public, viewsets.GenericViewSet):
    """Cases you may see (the visibility rule of the case list); writes run the services."""

    lookup_field = "reference"
    lookup_value_regex = "[^/]+"
    serializer_class = s.CaseSummary
    pagination_class = CaseCursor
    filterset_class = CaseFilter
    permission_classes = [has_perm("cases.view_case")]
    queryset = Case.objects.none()  # for the schema; get_queryset applies the visibility rule

    def get_queryset(self):
        return _case_queryset(self.request.user)

    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(s.CaseSummary(page, many=True).data)

    @extend_schema(responses={200: s.CaseDetail})
    def retrieve(self, request, reference: str):
        return Response(s.CaseDetail(_case(request, reference, audit=True)).data)

    @extend_schema(
        operation_id="cases_create",
        summary="Log a new case with its complainants and allegations (all or nothing)",
        request=s.CaseCreate,
        responses={201: s.CaseDetail},
    )
    def create(self, request):
        if not request.user.has_perm("cases.add_case"):
            raise exceptions.PermissionDenied("Your role does not allow logging cases.")
        data = _valid(s.CaseCreate, request)
        case = case_services.case_create(
            actor=request.user,
            case_type=data["case_type"],
            summary=data["summary"],
            received_on=data["received_on"],
            source=data["source"],
            supervisor=data["supervisor"],
            unassigned=data["to_queue"],
            recording_wish=_recording_wish(data),
            complainants=[case_services.ComplainantData(**c) for c in data["complainants"]],
            allegations=[_allegation_data(a) for a in data["allegations"]],
        )
        case = _case(request, case.reference, audit=False)
        url = reverse("api:case-detail", args=[case.reference], request=request)
        return Response(
            s.CaseDetail(case).data, status=status.HTTP_201_CREATED, headers={"Location": url}
        )

    @extend_schema(
        operation_id="cases_allegations_list",
        summary="The case's allegations",
        responses={200: s.AllegationOut(many=True)},
    )
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def allegations(self, request, reference: str):
        case = _case(request, reference, audit=True)
        return Response(s.AllegationOut(allegation_list(case=case), many=True).data)

    @extend_schema(
        operation_id="cases_allegations_create",
        summary="Add an allegation (the same service as the case page)",
        request=s.AllegationAdd,
        responses={201: s.AllegationOut},
    )
    @allegations.mapping.post
    def add_allegation(self, request, reference: str):
        case = _case(request, reference, audit=False)
        data = _valid(s.AllegationAdd, request)
        allegation = case_services.allegation_add(
            actor=request.user,
            case=case,
            data=_allegation_data(data),
            expected_version=data.get("expected_version"),
        )
        allegation = allegation_list(case=case).get(pk=allegation.pk)
        return Response(s.AllegationOut(allegation).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="cases_deadlines_list",
        summary="The clocks of the case, its subjects and their reflective practice",
        responses={200: s.DeadlineOut(many=True)},
    )
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def deadlines(self, request, reference: str):
        case = _case(request, reference, audit=True)
        hidden = deadline_selectors.hidden_kinds(request.user)
        deadlines = [
            d
            for d in case_deadline_list(case=case, tracks=list(case.tracks.all()))
            if d.kind.code not in hidden
        ]
        return Response(s.DeadlineOut(deadlines, many=True).data)

    @extend_schema(
        operation_id="cases_actions_list",
        summary="The actions you may take on the case now, with their fields",
        responses={200: s.ActionOut(many=True)},
    )
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def actions(self, request, reference: str):
        case = _case(request, reference, audit=True)
        state = case_actions.page_state(user=request.user, case=case)
        result = []
        for spec, target in available_actions(state):
            if spec.name in NOT_IN_API:
                continue
            form = case_actions.build_form(spec, state, target, prefixed=False)
            result.append(
                {
                    "name": spec.name,
                    "label": spec.label,
                    "scope": spec.scope,
                    "target": 0 if spec.scope == "case" else target.pk,
                    "expected": fingerprint(target),
                    "fields": [
                        action_inputs.describe(name, field)
                        for name, field in form.fields.items()
                        if name != "expected"
                    ],
                }
            )
        return Response(s.ActionOut(result, many=True).data)

    @extend_schema(
        operation_id="cases_actions_run",
        summary="Take one action (a case or subject transition, a proposal, an approval...)",
        description="The body holds the action's fields as listed by GET .../actions/, plus "
        "`target` (0 or absent for the case; the subject's, RPRP's or proposal's id) and "
        "optionally `expected` (refused with 409 when the object changed since). An action "
        "the case's state does not allow answers 400. The body is the input of the action "
        "`name` (its component `<Name>Input`, generated from the case page's form).",
        parameters=[
            OpenApiParameter(
                "name", OpenApiTypes.STR, OpenApiParameter.PATH, enum=sorted(API_ACTIONS)
            )
        ],
        request=None,  # each action's own input: api.schema.add_action_inputs
        responses={200: s.ActionDone},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"actions/(?P<name>[^/]+)",
        pagination_class=None,
        filterset_class=None,
    )
    def run_action(self, request, reference: str, name: str):
        case = _case(request, reference, audit=False)
        if name not in API_ACTIONS:
            raise exceptions.NotFound("No such action.")
        try:
            case_actions.action_for(user=request.user, name=name)
        except case_actions.RoleRefused:
            raise exceptions.PermissionDenied("Your role does not allow this action.") from None
        data = request.data
        if not isinstance(data, dict):
            raise exceptions.ValidationError({"non_field_errors": ["Send a JSON object."]})
        target = data.get("target", 0)
        if isinstance(target, bool) or not isinstance(target, int) or not 0 <= target < 2**63:
            raise exceptions.ValidationError({"target": ["A whole number (0 for the case)."]})
        try:
            attempt = case_actions.attempt(
                user=request.user, case=case, name=name, target=target, prefixed=False
            )
        except case_actions.UnknownAction:
            raise exceptions.NotFound(
                "No such subject, reflective practice or proposal here."
            ) from None
        attempt = attempt.bound(action_inputs.form_data(attempt.form.fields, data))
        expected = attempt.form.data.get("expected")
        if expected and expected != fingerprint(attempt.target):
            raise StaleObject("This changed since you read it: read it again and retry.")
        try:
            attempt.check()
        except case_actions.NotPossibleNow as refusal:
            # It carries the guard's own sentence: why (the rule and its citation).
            said = f"“{attempt.spec.label}” is not possible at this stage. {refusal}"
            raise exceptions.ValidationError({"non_field_errors": [said]}) from None
        except case_actions.InvalidInput:
            raise exceptions.ValidationError(
                {
                    field or "non_field_errors": list(errors)
                    for field, errors in attempt.form.errors.items()
                }
            ) from None
        action_inputs.check_dates(attempt.form)
        message = attempt.run()
        try:
            case = s.CaseDetail(_case(request, case.reference, audit=False)).data
        except Http404:  # e.g. reassigned away from you: done, but no longer yours to see
            case = None
        return Response({"message": message, "case": case})


# --- helpers of the case endpoints ------------------------------------------------------------


def _valid(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _recording_wish(data: dict) -> case_services.RecordingWish | None:
    answer = data["recording_wish"]
    if answer is None:
        return None
    return case_services.RecordingWish(answer, data["received_on"], "intake")


def _allegation_data(data: dict) -> case_services.AllegationData:
    return case_services.AllegationData(
        summary=data["summary"],
        category=data["category"],
        standards=list(data["standards"]),
        subjects=list(data["subjects"]),
        about_force=data["about_force"],
    )


# --- people, deadlines, statistics ------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(operation_id="people_list", summary="The personnel register"),
    retrieve=extend_schema(
        operation_id="people_retrieve",
        summary="One person (the read is logged)",
        parameters=[OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)],
    ),
)
class PersonViewSet(Public, viewsets.ReadOnlyModelViewSet):
    """The personnel register (subjects of cases), for holders of ``accounts.view_person``."""

    serializer_class = s.PersonOut
    pagination_class = PersonCursor
    filterset_class = PersonFilter
    permission_classes = [has_perm("accounts.view_person")]
    queryset = Person.objects.select_related("rank", "department", "force")
    lookup_value_regex = "[^/]+"

    def retrieve(self, request, pk: str):
        if not pk.isdigit() or len(pk) > 18:
            raise Http404
        try:
            person = person_get(pk=int(pk))
        except Person.DoesNotExist:
            raise Http404 from None
        audit_read(user=request.user, obj=person, request=request)  # DPA 2018 s62
        return Response(s.PersonOut(person).data)


class DeadlineQuery(s.serializers.Serializer):
    scope = s.serializers.ChoiceField(
        choices=list(deadline_selectors.SCOPES), default="mine", required=False
    )
    status = s.serializers.ChoiceField(
        choices=[*Status.values, "any"], default=Status.OPEN, required=False
    )
    kind = s.serializers.SlugField(max_length=50, required=False)
    overdue = s.serializers.BooleanField(default=False, required=False)


@extend_schema_view(
    list=extend_schema(
        operation_id="deadlines_list",
        summary="Deadlines: yours, your team's or all (by role), as on the deadlines page",
        parameters=[DeadlineQuery],
    )
)
class DeadlineViewSet(Public, viewsets.GenericViewSet):
    """Statutory and policy clocks, with the deadlines page's scopes and restrictions."""

    serializer_class = s.DeadlineOut
    pagination_class = DeadlineCursor
    filterset_class = None
    filter_backends = []
    permission_classes = [has_perm("deadlines.view_deadline")]

    def get_queryset(self):
        return Deadline.objects.none()

    def list(self, request):
        query = DeadlineQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        q = query.validated_data
        deadlines = deadline_selectors.deadline_list(
            user=request.user,
            scope=q["scope"],
            status=None if q["status"] == "any" else q["status"],
            kind=q.get("kind") or None,
            overdue_only=q["overdue"],
        )
        page = self.paginate_queryset(deadlines)
        return self.get_paginated_response(s.DeadlineOut(page, many=True).data)


class StatisticsQuery(s.serializers.Serializer):
    year = s.serializers.IntegerField(
        required=False, min_value=2010, max_value=2100, help_text="Financial year (1 April)."
    )
    start = s.serializers.DateField(required=False, help_text="With end: a date range.")
    end = s.serializers.DateField(required=False)
    force = s.serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    department = s.serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    case_type = s.serializers.ChoiceField(choices=CaseType.choices, required=False)
    table = s.serializers.ChoiceField(choices=list(stats_selectors.TABLES), required=False)


class Statistics(Public, APIView):
    """The statistics page's tables (same selectors, same period and scope form)."""

    permission_classes = [has_perm("stats.view_statistics")]

    @extend_schema(
        operation_id="statistics",
        summary="The Home Office / IOPC statistics tables, as on the statistics page",
        parameters=[StatisticsQuery],
        responses={200: s.Statistics},
    )
    def get(self, request):
        query = StatisticsQuery(data=request.query_params)
        query.is_valid(raise_exception=True)  # types here; the page's form checks the rest
        params = {k: v for k, v in request.query_params.items() if k in query.fields}
        form = PeriodForm(params or None)
        if form.is_bound and not form.is_valid():
            raise exceptions.ValidationError(
                {field: list(errors) for field, errors in form.errors.items()}
            )
        name = query.validated_data.get("table")
        period, scope = form.period(), form.scope()
        if name:
            tables = [stats_selectors.statistics_table(period=period, scope=scope, name=name)]
        else:
            tables = list(stats_selectors.statistics_tables(period=period, scope=scope).values())
        return Response(
            {
                "period": {"start": period.start, "end": period.end, "label": period.label},
                "scope": scope.label,
                "tables": [vars(table) for table in tables],
            }
        )


def _list_entry(user, kind: str, entry) -> dict:
    return {
        "kind": kind,
        "id": entry.pk,
        "paragraph": entry.get_paragraph_display(),
        "full_name": entry.full_name,
        "number": entry.number,
        "case": entry.case.reference if entry.case_id else None,
        "actions": [a.name for a in list_actions.available(user, entry)],
        **{
            name: getattr(entry, name)
            for name in (
                "event_date",
                "report_due",
                "reported_on",
                "status",
                "further_event_on",
                "further_reason",
                "further_report_due",
                "further_reported_on",
                "removed_on",
                "removal_reason",
            )
        },
    }


class ListEntries(Public, APIView):
    """The barred and advisory list entries of the lists page (most recent 200 of each)."""

    permission_classes = [has_perm("cases.view_barredlistentry")]

    @extend_schema(
        operation_id="list_entries_list",
        summary="Barred and advisory list entries, with the reports you may record on each",
        responses={200: s.ListEntryOut(many=True)},
    )
    def get(self, request):
        rows = [
            _list_entry(request.user, kind, entry)
            for kind, model in (("barred", BarredListEntry), ("advisory", AdvisoryListEntry))
            for entry in model.objects.select_related("case")[:200]
        ]
        return Response(s.ListEntryOut(rows, many=True).data)

    @extend_schema(
        operation_id="list_entries_create",
        summary="Report a dismissal decided outside a case (performance, police staff "
        "procedures) to the barred list",
        description="The body is the lists page's form (component `RecordDismissalListInput`).",
        request=None,  # the form's component: api.schema.add_action_inputs
        responses={201: s.ListEntryOut},
    )
    def post(self, request):
        data = request.data
        if not isinstance(data, dict):
            raise exceptions.ValidationError({"non_field_errors": ["Send a JSON object."]})
        form_class = list_actions.RecordDismissalForm
        form = form_class(action_inputs.form_data(form_class.base_fields, data))
        try:
            entry = list_actions.record_dismissal(request.user, form)
        except list_actions.InvalidInput:
            raise exceptions.ValidationError(
                {field or "non_field_errors": list(errors) for field, errors in form.errors.items()}
            ) from None
        row = _list_entry(request.user, "barred", entry)
        return Response(s.ListEntryOut(row).data, status=status.HTTP_201_CREATED)


class ListEntryAction(Public, APIView):
    """One action on one entry: the lists page's form, guard and service."""

    permission_classes = [has_perm("cases.view_barredlistentry")]

    @extend_schema(
        operation_id="list_entries_actions_run",
        summary="Record a report, an overturned dismissal or a removal on a list entry",
        description="The body holds the action's fields (its component `<Name>ListInput`). "
        "An action the entry's state does not allow answers 400.",
        parameters=[
            OpenApiParameter(
                "kind", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(list_actions.MODELS)
            ),
            OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH),
            OpenApiParameter(
                "name",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                enum=sorted(list_actions.LIST_ACTIONS),
            ),
        ],
        request=None,  # each action's own input: api.schema.add_action_inputs
        responses={200: s.ListActionDone},
    )
    def post(self, request, kind: str, id: str, name: str):
        action = list_actions.LIST_ACTIONS.get(name)
        entry = list_actions.entry_of(kind, int(id)) if id.isdigit() and len(id) < 19 else None
        if action is None or entry is None:
            raise Http404
        data = request.data
        if not isinstance(data, dict):
            raise exceptions.ValidationError({"non_field_errors": ["Send a JSON object."]})
        form = action.form(action_inputs.form_data(action.form.base_fields, data))
        try:
            list_actions.run(request.user, entry, action, form)
        except list_actions.NotPossibleNow:
            raise exceptions.ValidationError(
                {"non_field_errors": [f"“{action.label}” is not possible for this entry now."]}
            ) from None
        except list_actions.InvalidInput:
            raise exceptions.ValidationError(
                {field or "non_field_errors": list(errors) for field, errors in form.errors.items()}
            ) from None
        entry = type(entry).objects.select_related("case").get(pk=entry.pk)
        return Response(
            {
                "message": f"{action.label}.",
                "entry": s.ListEntryOut(_list_entry(request.user, kind, entry)).data,
            }
        )


@login_not_required
def not_found(request, *args, **kwargs):
    """Anything else under /api/: a JSON 404, not the HTML page."""
    return JsonResponse({"detail": "Not found."}, status=404)

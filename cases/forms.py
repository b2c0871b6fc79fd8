"""Forms of the case list and the case page. Action forms live in actions/forms.py, the new
case wizard's in forms_wizard.py."""

import html
import logging
import uuid

from django import forms
from django.core.cache import cache
from django.db import connection, transaction
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from psd.govuk import form_html

from .models import AllegationCategory, CaseType, State
from .selectors.cases import SORTS, CaseFilters
from .selectors.users import investigator_list


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def options_html(choices) -> str:
    """``<option>`` elements for ``(value, label)`` pairs, nothing selected; every value and
    label escaped (``html.escape`` is what Django's ``escape`` calls, without its lazy-string
    wrapper, which cost more than the escaping on a thousand options)."""
    return "".join(
        f'<option value="{html.escape(str(value))}">{html.escape(str(label))}</option>'
        for value, label in choices
    )


class FastSelect(forms.Select):
    """A ``<select>`` built in Python. Django's Select renders a template per option (about
    0.3 ms each): with a national force's thousand investigators that was most of the case
    list's server time. Same HTML, same attributes; every value and label is escaped.

    ``options`` may be set to ready-made ``options_html`` (the investigator filter's, cached):
    the chosen values are then marked in that string instead of rebuilding it."""

    options: str | None = None

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, attrs)
        options = self.options if self.options is not None else options_html(self.choices)
        for key in dict.fromkeys(self.format_value(value)):
            plain = f'<option value="{html.escape(key)}">'
            options = options.replace(plain, f"{plain[:-1]} selected>", 1)
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            flatatt(final_attrs),
            mark_safe(options),  # noqa: S308  # nosec B308 B703: built from escaped parts
        )


# --- The filters' options, cached -----------------------------------------------------------
# Every case list shows every investigator (about 1,050 at national scale) and every top-level
# category: two queries and a thousand escaped labels per page. Their options HTML is kept in
# the cache under one version; any change to users, their groups, the groups' permissions or
# the categories sets a new version (receivers in cases/receivers.py) and the next page builds
# the options again. The version also expires after OPTIONS_TTL seconds, for changes made
# outside the ORM (data migrations, raw SQL). Keys name the database, so test and development
# databases sharing one Redis never mix. Only the options shown are cached: a submitted choice
# is still checked against the database.
OPTIONS_TTL = 300
_options_memo: dict[tuple[str, str], tuple[str, str]] = {}
logger = logging.getLogger(__name__)


def _options_key(*parts: str) -> str:
    return ":".join(("cases", "filter-options", connection.settings_dict["NAME"], *parts))


def _cached(method: str, *args):
    """A cache call that cannot take the page down: an unreachable cache means no caching."""
    try:
        return getattr(cache, method)(*args)
    except Exception as error:  # noqa: BLE001 - any cache failure: build the options instead
        logger.warning("filter options not cached: %s", type(error).__name__)
        return None


def filter_options_version() -> str:
    key = _options_key("version")
    version = _cached("get", key)
    if version is None:
        _cached("add", key, uuid.uuid4().hex, OPTIONS_TTL)
        version = _cached("get", key)
    return version or ""


def forget_filter_options() -> None:
    """A new version now and again once the transaction commits (a page that read the old
    data in between must not leave its options under the version that follows the change)."""

    def bump():
        _cached("set", _options_key("version"), uuid.uuid4().hex, OPTIONS_TTL)

    bump()
    transaction.on_commit(bump)


def _cached_options(name: str, version: str, build) -> str:
    """``build()``'s options HTML for ``version``: from this process's memo, the cache, or
    built (and cached)."""
    memo_key = (connection.settings_dict["NAME"], name)
    memo = _options_memo.get(memo_key)
    if version and memo and memo[0] == version:
        return memo[1]
    options = _cached("get", _options_key(version, name)) if version else None
    if options is None:
        options = build()
        if version:
            _cached("set", _options_key(version, name), options, OPTIONS_TTL)
    if version:
        _options_memo[memo_key] = (version, options)
    return options


def _investigator_options() -> str:
    # Labels as User.__str__ gives them, from one values query (no model instances).
    return options_html(
        [
            ("", "Any"),
            *(
                (pk, f"{first} {last}".strip() or username)
                for pk, first, last, username in investigator_list().values_list(
                    "pk", "first_name", "last_name", "username"
                )
            ),
        ]
    )


def _category_options() -> str:
    return options_html([("", "Any"), *((c.pk, str(c)) for c in top_level_categories())])


def top_level_categories():
    return AllegationCategory.objects.filter(parent=None, active=True)


class CaseFilterForm(forms.Form):
    q = forms.CharField(
        label="Search",
        required=False,
        max_length=100,
        help_text="Reference, complainant, or subject name or number",
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    state = forms.ChoiceField(label="State", required=False, widget=FastSelect)
    case_type = forms.ChoiceField(label="Type", required=False, widget=FastSelect)
    investigator = forms.ModelChoiceField(
        label="Investigator",
        required=False,
        # Built once; each form works on a copy (ModelChoiceField copies it, unevaluated).
        queryset=investigator_list(),
        empty_label="Any",
        widget=FastSelect,
    )
    category = forms.ModelChoiceField(
        label="Category",
        required=False,
        queryset=top_level_categories(),
        empty_label="Any",
        widget=FastSelect,
    )
    received_from = forms.DateField(label="Received from", required=False, widget=DateInput())
    received_to = forms.DateField(label="Received to", required=False, widget=DateInput())
    overdue = forms.BooleanField(label="Only cases with an overdue deadline", required=False)
    sort = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=[(k, v[0]) for k, v in SORTS.items()],
        widget=FastSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", "Any"), *State.choices]
        self.fields["case_type"].choices = [("", "Any"), *CaseType.choices]
        # Validation uses the querysets; the options shown come from the cache.
        version = filter_options_version()
        self.fields["investigator"].widget.options = _cached_options(
            "investigators", version, _investigator_options
        )
        self.fields["category"].widget.options = _cached_options(
            "categories", version, _category_options
        )

    def render_fields(self) -> SafeString:
        """The markup of includes/form_fields.html for this form (psd.govuk builds both in
        Python: the template include per field was a tenth of the case list's time)."""
        return form_html(self)

    def clean(self):
        data = super().clean()
        start, end = data.get("received_from"), data.get("received_to")
        if start and end and start > end:
            self.add_error("received_to", "The end date must be on or after the start date.")
        return data

    def filters(self) -> CaseFilters:
        if not self.is_valid():
            return CaseFilters()
        data = dict(self.cleaned_data)
        data["sort"] = data.get("sort") or "-received"
        return CaseFilters(**data)

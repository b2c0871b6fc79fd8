"""The case list's investigator filter: a <select> built without a template per option (a
national force has a thousand investigators), escaped and keeping the choice; its options are
cached and follow every change to who may investigate."""

import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.template.loader import render_to_string
from django.urls import reverse

from cases import forms
from cases.forms import CaseFilterForm
from psd.roles import Role
from tests.accounts.factories import user_with_role

pytestmark = pytest.mark.django_db


def test_investigator_options_are_escaped_and_the_choice_is_kept(alice):
    odd = user_with_role(Role.INVESTIGATOR, "odd", first_name="<b>Al", last_name='"x"')
    form = CaseFilterForm({"investigator": str(alice.pk)})
    assert form.is_valid()
    assert form.cleaned_data["investigator"] == alice
    html = str(form["investigator"])
    assert html.startswith('<select name="investigator" id="id_investigator">')
    assert '<option value="">Any</option>' in html
    assert f'<option value="{alice.pk}" selected>{alice}</option>' in html
    assert f'<option value="{odd.pk}">&lt;b&gt;Al &quot;x&quot;</option>' in html
    assert "<b>" not in html


def test_someone_who_cannot_investigate_is_refused(eve):
    form = CaseFilterForm({"investigator": str(eve.pk)})
    assert not form.is_valid()
    assert f'value="{eve.pk}"' not in str(form["investigator"])


def test_every_filter_select_keeps_its_choice():
    form = CaseFilterForm({"state": "investigation", "case_type": "dsi", "sort": "reference"})
    assert form.is_valid()
    assert '<option value="investigation" selected>Under investigation</option>' in str(
        form["state"]
    )
    assert '<option value="dsi" selected>Death or serious injury matter</option>' in str(
        form["case_type"]
    )
    assert '<option value="reference" selected>Reference A–Z</option>' in str(form["sort"])
    assert '<option value="" selected>Any</option>' in str(form["category"])


def _investigator_select(client) -> str:
    html = client.get(reverse("cases:list")).content.decode()
    start = html.index('<select name="investigator"')
    return html[start : html.index("</select>", start)]


def test_cached_options_follow_new_renamed_and_departed_investigators(client, carol, alice):
    client.force_login(carol)
    assert f">{alice}</option>" in _investigator_select(client)
    nia = user_with_role(Role.INVESTIGATOR, "nia", first_name="Nia", last_name="Newcombe")
    assert f'<option value="{nia.pk}">Nia Newcombe</option>' in _investigator_select(client)
    nia.first_name = "Nina"
    nia.save()
    options = _investigator_select(client)
    assert ">Nina Newcombe<" in options and ">Nia Newcombe<" not in options
    nia.is_active = False
    nia.save(update_fields=["is_active"])
    assert "Newcombe" not in _investigator_select(client)


def test_cached_options_follow_roles_and_role_permissions(client, carol, alice):
    client.force_login(carol)
    investigators = Group.objects.get(name=Role.INVESTIGATOR.label)
    alice.groups.remove(investigators)
    assert f'value="{alice.pk}"' not in _investigator_select(client)
    alice.groups.add(investigators)
    assert f'value="{alice.pk}"' in _investigator_select(client)
    change_case = Permission.objects.get(codename="change_case", content_type__app_label="cases")
    investigators.permissions.remove(change_case)
    assert f'value="{alice.pk}"' not in _investigator_select(client)


def _category_select(client) -> str:
    html = client.get(reverse("cases:list")).content.decode()
    start = html.index('<select name="category"')
    return html[start : html.index("</select>", start)]


def test_cached_category_options_follow_changes_to_categories(client, carol):
    from cases.models import AllegationCategory

    client.force_login(carol)
    assert ">Discreditable conduct</option>" in _category_select(client)
    added = AllegationCategory.objects.create(name="Drone misuse", order=99)
    assert f'<option value="{added.pk}">Drone misuse</option>' in _category_select(client)
    added.active = False
    added.save()
    assert "Drone misuse" not in _category_select(client)


def test_a_sign_in_keeps_the_cached_options(client, carol, alice):
    version = forms.filter_options_version()
    client.force_login(carol)
    client.force_login(alice)
    assert forms.filter_options_version() == version


class _BrokenCache:
    def __getattr__(self, name):
        def fail(*args, **kwargs):
            raise ConnectionError("cache down")

        return fail


def test_the_list_still_works_when_the_cache_is_down(client, carol, alice, monkeypatch):
    client.force_login(carol)
    monkeypatch.setattr(forms, "cache", _BrokenCache())
    monkeypatch.setattr(forms, "_options_memo", {})
    assert f'<option value="{alice.pk}">{alice}</option>' in _investigator_select(client)


def _tags(html: str) -> str:
    """The markup without the whitespace between tags (which the browser ignores)."""
    return re.sub(r">\s+<", "><", html).strip()


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"q": "<b>x</b>", "overdue": "on", "state": "investigation"},
        {"received_from": "2026-02-01", "received_to": "2026-01-01", "investigator": "0"},
    ],
)
def test_the_filter_fields_are_the_shared_field_template_s_markup(data, alice):
    form = CaseFilterForm(data)
    form.is_valid()
    shared = render_to_string("includes/form_fields.html", {"form": form})
    assert _tags(form.render_fields()) == _tags(shared)
    if data and "received_to" in data:
        assert 'class="govuk-error-message" id="id_received_to_error"' in form.render_fields()

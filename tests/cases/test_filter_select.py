"""The case list's investigator filter: a <select> built without a template per option (a
national force has a thousand investigators), escaped and keeping the choice."""

import pytest

from accounts.roles import Role
from cases.forms import CaseFilterForm
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

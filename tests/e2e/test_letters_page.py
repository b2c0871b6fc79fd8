"""The letters page and the template editor in Chromium: accessible and CSP-clean, a letter
refused with what is missing, then generated and listed with its files."""

import pytest

from tests.e2e.journey import Journey

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_generate_letters_from_the_case_page(
    live_server, reference_data, new_page, tmp_path, settings
):
    from psd.roles import Role
    from tests.accounts.factories import TeamFactory, user_with_role
    from tests.cases.factories import complaint

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path), "base_url": None},
        },
    }
    team = TeamFactory(name="PSD Team A")
    bob = user_with_role(Role.SUPERVISOR, "bob", team=team)
    alice = user_with_role(Role.INVESTIGATOR, "alice", team=team)
    case = complaint(alice, supervisor=bob)

    me = Journey(new_page("investigator"), live_server, {})
    me.sign_in(alice)
    page = me.page
    me.go(case.get_absolute_url())
    me.click(page.get_by_role("link", name="Letters, updates to complainants and case bundle"))
    page.locator("#id_kind").select_option(label="Progress update to the complainant")
    me.click(page.get_by_role("button", name="Generate and file"))
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "what has happened since the last update" in summary
    page.locator("#id_kind").select_option(label="Progress update to the complainant")
    page.locator("#id_progress").fill("We have spoken to two witnesses.")
    me.click(page.get_by_role("button", name="Generate and file"))
    assert page.locator(".govuk-notification-banner--success").count()
    assert page.get_by_role("link", name="PDF").count() == 1
    me.go("/correspondence/templates/")
    me.click(page.get_by_role("link", name="Outcome letter with the right of review"))
    assert "$review_deadline" in page.content()

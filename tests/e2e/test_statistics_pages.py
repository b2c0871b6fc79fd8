"""The statistics and import pages in a real browser: axe-core finds no serious problem and
the strict Content Security Policy blocks nothing (the charts are inline SVG without styles)."""

import pytest

from tests.e2e.journey import Journey
from tests.stats.conftest import build_fy2025

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_statistics_pages_are_accessible_and_csp_clean(live_server, reference_data, new_page):
    from psd.roles import Role
    from tests.accounts.factories import user_with_role

    eve = user_with_role(Role.AUDITOR, "eve")
    build_fy2025()
    me = Journey(new_page("analyst"), live_server, {})
    me.sign_in(eve)
    page = me.page
    me.go("/statistics/?year=2025")
    assert page.locator("svg[role=img]").count() == 2
    assert page.locator("#table-outcomes tfoot").inner_text().split() == ["Total", "8", "100.0"]
    page.fill("#id_start", "2025-06-01")
    page.fill("#id_end", "2025-05-01")
    me.click(page.get_by_role("button", name="Show statistics"))
    assert "The end date must be the same as or after the start date." in page.content()
    me.go("/statistics/import/")

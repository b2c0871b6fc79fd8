"""The API docs in a real browser: Swagger UI (self-hosted) renders every operation and the
strict Content-Security-Policy blocks nothing; the browsable API renders too (Playwright and
the Debian chromium; skipped where chromium is not installed). Here, not in tests/api: a
browser test is transactional, and tests/e2e runs after the other transactional tests."""

import pytest
from drf_spectacular.generators import SchemaGenerator

from tests.e2e.journey import Journey

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_swagger_ui_and_browsable_api_work_under_the_csp(live_server, reference_data, new_page):
    from psd.roles import Role
    from tests.accounts.factories import user_with_role
    from tests.cases.factories import complaint

    bob = user_with_role(Role.SUPERVISOR, "bob")
    case = complaint(bob)
    me = Journey(new_page("supervisor"), live_server, {})
    me.sign_in(bob)
    page = me.page
    page.goto(live_server.url + "/api/docs/")
    page.wait_for_selector(".opblock", timeout=20_000)
    # Every operation of the published schema is rendered, none more.
    generated = SchemaGenerator().get_schema(request=None, public=True)
    verbs = {"get", "post", "put", "patch", "delete"}
    operations = sum(len(verbs & set(path)) for path in generated["paths"].values())
    assert operations >= 12
    assert page.locator(".opblock").count() == operations
    assert "PSD case management API" in page.content()
    assert not page.csp_errors, page.csp_errors
    page.goto(live_server.url + f"/api/cases/{case.reference}/")
    page.wait_for_load_state("load")
    assert case.reference in page.content()
    # DRF's own page template floats two buttons with style attributes, which the policy
    # blocks (a cosmetic difference); nothing else is refused, no script in particular.
    assert all("inline style" in error for error in page.csp_errors), page.csp_errors

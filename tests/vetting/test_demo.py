import io

import pytest
from django.core.management import call_command

from vetting import selectors
from vetting.models import ApplicationStatus, Clearance, VettingApplication

pytestmark = pytest.mark.django_db


def test_demo_vetting_data_is_idempotent_with_one_clearance_expiring_soon():
    call_command("demo_data", stdout=io.StringIO())
    before = (Clearance.objects.count(), VettingApplication.objects.count())
    out = io.StringIO()
    call_command("demo_data", stdout=out)
    assert (Clearance.objects.count(), VettingApplication.objects.count()) == before
    assert "demo vetting: already there" in out.getvalue()
    assert before[0] == 4
    assert len(selectors.due_for_revetting(within_days=90, kind="expiry")) == 1
    assert VettingApplication.objects.filter(status=ApplicationStatus.REFUSED).count() == 1
    assert VettingApplication.objects.filter(status=ApplicationStatus.OPEN).count() == 1

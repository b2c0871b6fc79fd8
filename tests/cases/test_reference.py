"""Case references, and the reference data kept as tables (not code)."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from cases import services
from cases.models import AllegationCategory, Case, CaseType, ReferralCriterion, Standard
from tests.accounts.factories import PersonFactory
from tests.cases.factories import allegation, complaint, conduct_matter

pytestmark = pytest.mark.django_db


def _received(day: datetime.date, alice) -> Case:
    return services.case_create(
        actor=alice,
        case_type=CaseType.CONDUCT_MATTER,
        summary="Matter",
        received_on=day,
        allegations=[allegation(PersonFactory())],
    )


def test_references_are_sequential_per_year_of_receipt(alice):
    day = datetime.date(2025, 11, 3)
    refs = [_received(day, alice).reference for _ in range(3)]
    assert refs == ["PSD-2025-000001", "PSD-2025-000002", "PSD-2025-000003"]
    assert _received(datetime.date(2024, 3, 1), alice).reference == "PSD-2024-000001"
    assert _received(day, alice).reference == "PSD-2025-000004"


def test_reference_is_unique_in_the_database(alice):
    case = complaint(alice)
    other = conduct_matter(alice)
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=other.pk).update(reference=case.reference)


def test_reference_is_not_editable():
    assert Case._meta.get_field("reference").editable is False


def test_the_ten_standards_of_professional_behaviour():
    names = list(Standard.objects.values_list("name", flat=True))
    assert len(names) == 10
    assert names[0] == "Honesty and integrity"
    assert names[-1] == "Challenging and reporting improper conduct"


def test_categories_are_data_with_sub_categories():
    parent = AllegationCategory.objects.get(name="Discriminatory behaviour", parent=None)
    # A force can add its own sub-category beside the seeded ones (stats migration 0003).
    child = AllegationCategory.objects.create(name="Force-defined example", parent=parent)
    assert child.group == parent and parent.group == parent
    assert str(child) == "Discriminatory behaviour: Force-defined example"
    # The IOPC's eleven (stats migration 0005 adds "Sexual conduct" and "Other").
    assert AllegationCategory.objects.filter(parent=None).count() == 11
    with pytest.raises(IntegrityError), transaction.atomic():
        AllegationCategory.objects.create(name="Force-defined example", parent=parent)


def test_referral_criteria_are_data_and_decide_whether_referral_is_required(alice):
    assert ReferralCriterion.objects.filter(mandatory=True).count() == 10
    case = complaint(alice)
    services.case_record(actor=alice, case=case)
    voluntary = ReferralCriterion.objects.create(
        code="public_interest", description="Public interest", citation="Policy", mandatory=False
    )
    services.case_assess_referral(
        actor=alice, case=case, criteria=[voluntary], rationale="Voluntary only"
    )
    assert not services.referral_required(case)
    new_rule = ReferralCriterion.objects.create(
        code="new_rule", description="A criterion added by regulation", citation="Regs 2026"
    )
    services.case_assess_referral(actor=alice, case=case, criteria=[new_rule], rationale="New")
    assert services.referral_required(case)
    # The latest assessment decides.
    services.case_assess_referral(actor=alice, case=case, criteria=[], rationale="Reassessed")
    assert not services.referral_required(case)

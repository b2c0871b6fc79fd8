"""Issue 22: a special constable and a detective constable no longer both read "PC"."""

import pytest

from accounts import services
from accounts.models import Rank, RoleType
from psd.domain import DomainError
from tests.accounts.factories import PersonFactory

pytestmark = pytest.mark.django_db


def rank(name):
    return Rank.objects.get(name=name)


def test_a_constable_is_pc_a_detective_dc_and_a_special_sc():
    assert PersonFactory(forename="Al", surname="Ray").rank_and_name == "PC Al Ray"
    detective = PersonFactory(forename="Priya", surname="Shah", detective=True)
    assert detective.rank_and_name == "DC Priya Shah"
    special = PersonFactory(forename="Chloe", surname="Davies", role_type=RoleType.SPECIAL)
    assert special.rank_and_name == "SC Chloe Davies"


def test_other_ranks_of_detectives_and_specials():
    assert PersonFactory(rank=rank("Sergeant"), detective=True).rank_title == "DS"
    assert PersonFactory(rank=rank("Chief Inspector"), detective=True).rank_title == "DCI"
    special = PersonFactory(rank=rank("Sergeant"), role_type=RoleType.SPECIAL)
    assert special.rank_title == "Special Sergeant"
    assert PersonFactory(rank=None, role_type=RoleType.STAFF).rank_and_name.count(" ") == 1


def test_only_a_police_officer_holds_a_detective_designation(ada):
    person = PersonFactory(role_type=RoleType.SPECIAL)
    with pytest.raises(DomainError, match="Only a police officer"):
        services.person_update(actor=ada, person=person, detective=True)


def test_the_register_shows_the_title(client, alice):
    PersonFactory(forename="Priya", surname="Shah", detective=True)
    client.force_login(alice)
    page = client.get("/personnel/").content.decode()
    assert '<td class="govuk-table__cell">DC</td>' in page

"""Internal notes (issue 12): "team" notes for everyone who may see the case, "PSD heads only"
notes for holders of ``cases.view_all_cases``; never for a subject or complainant, whatever
other role they hold."""

import pytest

from cases.models import CaseNote, NoteVisibility
from cases.selectors import notes_visible_to
from cases.services.notes import case_add_note
from psd.domain import DomainError
from psd.roles import Role
from tests.accounts.factories import PersonFactory, user_with_role
from tests.cases.factories import complaint
from tests.cases.helpers import post_action

pytestmark = pytest.mark.django_db


@pytest.fixture
def case_with_notes(alice, bob, carol):
    case = complaint(alice, supervisor=bob)
    case_add_note(actor=alice, case=case, text="Witness prefers calls after 6pm")
    case_add_note(
        actor=carol,
        case=case,
        text="Subject is also under covert enquiry",
        visibility=NoteVisibility.HEADS,
    )
    return case


def texts(user, case) -> set[str]:
    return {note.text for note in notes_visible_to(user, case)}


def test_team_notes_for_the_team_and_heads_notes_for_heads_only(
    case_with_notes, alice, bob, carol, eve
):
    team_note, heads_note = (
        "Witness prefers calls after 6pm",
        "Subject is also under covert enquiry",
    )
    assert texts(alice, case_with_notes) == {team_note}
    assert texts(bob, case_with_notes) == {team_note}
    assert texts(carol, case_with_notes) == {team_note, heads_note}
    assert texts(eve, case_with_notes) == {team_note, heads_note}  # auditor: view_all_cases


def test_no_notes_for_anyone_who_cannot_see_the_case(case_with_notes, dave, victor, ada):
    for outsider in (dave, victor, ada):  # other team, vetting officer, administrator
        assert texts(outsider, case_with_notes) == set()


def test_a_subject_or_complainant_never_reads_notes_even_as_a_psd_head(alice, bob, carol):
    # carol is the appropriate authority (sees every case) but is the subject of this one
    case = complaint(alice, PersonFactory(user=carol), supervisor=bob)
    case_add_note(actor=alice, case=case, text="Team note")
    assert texts(carol, case) == set()
    head = user_with_role(Role.APPROPRIATE_AUTHORITY, "harriet")
    assert texts(head, case) == {"Team note"}


def test_only_psd_heads_may_write_heads_only_notes(alice):
    case = complaint(alice)
    with pytest.raises(DomainError) as error:
        case_add_note(actor=alice, case=case, text="Secret", visibility=NoteVisibility.HEADS)
    assert error.value.field == "visibility"
    with pytest.raises(DomainError):
        case_add_note(actor=alice, case=case, text="Odd", visibility="public")
    assert not CaseNote.objects.exists()


def test_the_case_page_shows_each_user_only_their_notes(client, case_with_notes, alice, carol):
    client.force_login(alice)
    page = client.get(case_with_notes.get_absolute_url()).content.decode()
    assert "Witness prefers calls after 6pm" in page
    assert "covert enquiry" not in page
    client.force_login(carol)
    page = client.get(case_with_notes.get_absolute_url()).content.decode()
    assert "covert enquiry" in page and "PSD heads only" in page


def test_a_heads_only_note_added_on_the_case_page(client, alice, carol):
    case = complaint(alice)
    client.force_login(carol)
    response = post_action(client, case, "note", text="For heads", visibility="heads")
    assert response.status_code == 302
    assert CaseNote.objects.get().visibility == NoteVisibility.HEADS
    client.force_login(alice)
    response = post_action(client, case, "note", text="Mine", visibility="heads")
    assert response.status_code == 400
    assert "Only PSD heads" in response.content.decode()
    assert CaseNote.objects.count() == 1

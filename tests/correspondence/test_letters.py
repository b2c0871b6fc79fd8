"""Every letter rendered from real case data: its text, the version it came from, the case
documents that hold it, and the refusal when a required value is missing."""

import datetime
import io

import pytest
from django.utils import timezone
from docx import Document

from cases import services as case_services
from cases.models import CaseDocument, ReviewBody, ReviewResult, Severity
from correspondence import services
from correspondence.context import PLACEHOLDERS, Inputs
from correspondence.models import Letter, LetterKind, LetterTemplate
from correspondence.rendering import template_problem
from deadlines.models import Deadline
from psd.domain import DomainError, PermissionDenied
from tests.accounts.factories import PersonFactory
from tests.cases.factories import OUTSIDE_NO, complaint, days_ago
from tests.cases.routes import finalised, fresh, report_submitted

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def make(actor, case, kind, sent_how="post", **inputs):
    inputs.setdefault("sent_on", TODAY())
    return services.letter_generate(
        actor=actor, case=case, kind=kind, inputs=Inputs(**inputs), sent_how=sent_how
    )


def docx_text(letter: Letter) -> str:
    with letter.docx.file.open("rb") as handle:
        return "\n".join(p.text for p in Document(io.BytesIO(handle.read())).paragraphs)


def test_every_seeded_template_uses_only_its_kinds_placeholders(db):
    for kind in LetterKind.values:
        template = services.template_current(kind)
        assert template.version == 1
        assert template_problem(kind, template.subject, template.body) is None, kind
    assert set(PLACEHOLDERS) == set(LetterKind.values)


def test_acknowledgement_is_stored_as_pdf_and_word_with_sent_on_by_how(alice, bob):
    case = complaint(alice, supervisor=bob)
    letter = make(alice, case, LetterKind.ACKNOWLEDGEMENT)
    assert "Dear Pat Member" in letter.body
    assert case.reference in letter.subject and "Complaint about an arrest" in letter.body
    assert letter.sent_by == alice and letter.sent_how == "post" and letter.sent_on == TODAY()
    assert letter.template.version == 1
    documents = CaseDocument.objects.filter(case=case)
    assert {d.content_type.split(";")[0] for d in documents} == {
        "application/pdf",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    }
    with letter.pdf.file.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"
    assert "Dear Pat Member," in docx_text(letter)


def test_recording_decision_not_recorded_needs_reasons(alice, bob):
    case = complaint(alice, supervisor=bob)
    with pytest.raises(DomainError, match="reasons for not recording"):
        make(alice, case, LetterKind.RECORDING_DECISION)
    assert not Letter.objects.exists() and not CaseDocument.objects.exists()
    letter = make(alice, case, LetterKind.RECORDING_DECISION, reasons="It is not a complaint.")
    assert "decided not to record your complaint" in letter.body
    assert "Reasons: It is not a complaint." in letter.body


def test_recording_decision_recorded_says_when(alice, bob):
    case = complaint(alice, supervisor=bob)
    case_services.case_record(actor=alice, case=case, recorded_on=days_ago(3))
    letter = make(alice, fresh(case), LetterKind.RECORDING_DECISION)
    day = days_ago(3)
    assert f"recorded your complaint on {day.day} {day:%B %Y}" in letter.body


def test_allegation_summary_lists_the_allegations(alice, bob):
    case = complaint(alice, supervisor=bob)
    letter = make(alice, case, LetterKind.ALLEGATION_SUMMARY)
    assert "1. Discreditable conduct: Used excessive force during arrest" in letter.body


def test_outside_schedule_3_letter_gives_the_recorded_reason(alice, bob):
    case = complaint(alice, supervisor=bob)
    with pytest.raises(DomainError, match="handling outside Schedule 3"):
        make(alice, case, LetterKind.OUTSIDE_SCHEDULE_3)
    case_services.case_handle_outside_schedule_3(
        answers=OUTSIDE_NO, actor=alice, case=case, reason="A rude remark; an apology is sought"
    )
    letter = make(alice, fresh(case), LetterKind.OUTSIDE_SCHEDULE_3)
    assert "Why: A rude remark; an apology is sought" in letter.body


def test_reg17_notice_names_the_officer_the_severity_and_the_representations_date(alice, bob):
    officer = PersonFactory(forename="Nadia", surname="Okafor")
    case = complaint(alice, officer, supervisor=bob)
    track = case.tracks.get()
    with pytest.raises(DomainError, match="severity of misconduct or gross misconduct"):
        make(alice, case, LetterKind.REG17_NOTICE, track=track)
    case = report_submitted(case, alice, bob, severity=Severity.GROSS_MISCONDUCT)
    track.refresh_from_db()
    letter = make(alice, case, LetterKind.REG17_NOTICE, track=track)
    due = Deadline.objects.get(kind__code="reg17_representations", object_id=track.pk).due_date
    assert "Okafor" in letter.body and "as Gross misconduct" in letter.body
    assert "likely be a misconduct hearing" in letter.body
    assert f"by {due.day} {due:%B %Y}" in letter.body
    assert "The investigator is alice" in letter.body or str(alice) in letter.body


def test_a_subject_notice_needs_a_subject(alice, bob):
    case = complaint(alice, supervisor=bob)
    with pytest.raises(DomainError, match="officer the notice is for"):
        make(alice, case, LetterKind.REFERRAL_NOTICE)


def test_referral_notice_needs_the_forum_and_date(alice, bob):
    case = complaint(alice, supervisor=bob)
    with pytest.raises(DomainError, match="form of the proceedings.*date of the proceedings"):
        make(alice, case, LetterKind.REFERRAL_NOTICE, track=case.tracks.get())


def test_outcome_letter_review_date_equals_the_review_clock(alice, bob):
    case = finalised(complaint(alice, supervisor=bob), alice, bob, sent_on=days_ago(2))
    # C&M Regs 2020 reg 32: misconduct was assessed, so the IOPC reviews (not chosen by hand).
    letter = make(alice, case, LetterKind.OUTCOME, sent_on=days_ago(2))
    clock = Deadline.objects.get(kind__code="review_window", object_id=case.pk)
    assert clock.due_date == case_services.review_deadline(case)
    assert f"by {clock.due_date.day} {clock.due_date:%B %Y}" in letter.body
    assert "Outcome: Service provided was not acceptable" in letter.body
    assert ReviewBody(ReviewBody.IOPC).label in letter.body


def test_outcome_letter_refused_before_the_outcome_is_sent(alice, bob):
    case = complaint(alice, supervisor=bob)
    with pytest.raises(DomainError, match=r"date the outcome is sent.*reg 29\(2\)"):
        make(alice, case, LetterKind.OUTCOME)


def test_review_result_letter(alice, bob):
    case = finalised(complaint(alice, supervisor=bob), alice, bob)
    with pytest.raises(DomainError, match="a decided review"):
        make(alice, case, LetterKind.REVIEW_RESULT)
    case_services.case_request_review(actor=alice, case=case, received_on=TODAY())
    case_services.case_record_review_result(
        actor=alice, case=fresh(case), result=ReviewResult.NOT_UPHELD, recommendations="None."
    )
    letter = make(alice, fresh(case), LetterKind.REVIEW_RESULT)
    assert "Result: Not upheld" in letter.body or "Result: " in letter.body
    assert ReviewBody(ReviewBody.IOPC).label in letter.body


def test_withdrawal_confirmation(alice, bob):
    case = complaint(alice, supervisor=bob)
    case_services.case_record(actor=alice, case=case)
    with pytest.raises(DomainError, match="withdrawn"):
        make(alice, fresh(case), LetterKind.WITHDRAWAL)
    case_services.case_withdraw(
        actor=alice, case=fresh(case), reason="E-mail of 1 March", signed_by="solicitor"
    )
    letter = make(alice, fresh(case), LetterKind.WITHDRAWAL)
    assert "was withdrawn on" in letter.body and "(E-mail of 1 March)" in letter.body
    # The history keeps the reg 38(1) sentence; the letter to the complainant quotes only the
    # caseworker's note, not the regulation.
    assert "reg 38" not in letter.body and "Notification signed" not in letter.body
    assert "reg 38(1)(a)" in fresh(case).transitions.get(name="withdraw").reason


def test_update_letter_needs_progress(alice, bob):
    case = complaint(alice, supervisor=bob)
    with pytest.raises(DomainError, match="what has happened since the last update"):
        make(alice, case, LetterKind.UPDATE)
    letter = make(alice, case, LetterKind.UPDATE, progress="Witnesses have been interviewed.")
    assert "Witnesses have been interviewed." in letter.body


def test_anonymous_complainant_cannot_be_written_to(alice, bob):
    from cases.services import ComplainantData

    case = complaint(alice, supervisor=bob)
    case.complainants.update(anonymous=True)
    with pytest.raises(DomainError, match="complainant's name"):
        make(alice, case, LetterKind.ACKNOWLEDGEMENT)
    assert ComplainantData  # the service refuses; nothing stored
    assert not CaseDocument.objects.exists()


def test_another_teams_investigator_cannot_make_letters(alice, bob, dave):
    case = complaint(alice, supervisor=bob)
    with pytest.raises(PermissionDenied):
        make(dave, case, LetterKind.ACKNOWLEDGEMENT)


def test_email_needs_an_address_and_is_sent_once_with_the_pdf(
    alice, bob, mailoutbox, django_capture_on_commit_callbacks
):
    case = complaint(alice, supervisor=bob)
    with django_capture_on_commit_callbacks(execute=True):
        letter = make(alice, case, LetterKind.ACKNOWLEDGEMENT, sent_how="email")
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["pat@example.org"] and message.attachments[0][2] == "application/pdf"
    letter.refresh_from_db()
    assert letter.emailed_at is not None
    from correspondence.tasks import email_letter

    assert email_letter(letter.pk) is False and len(mailoutbox) == 1
    case.complainants.update(email="")
    with pytest.raises(DomainError, match="no e-mail address"):
        make(alice, case, LetterKind.ACKNOWLEDGEMENT, sent_how="email")


def test_editing_a_template_makes_a_new_version_and_old_letters_keep_theirs(alice, bob):
    case = complaint(alice, supervisor=bob)
    first = make(alice, case, LetterKind.ACKNOWLEDGEMENT)
    with pytest.raises(PermissionDenied):
        services.template_save(actor=alice, kind="acknowledgement", subject="x", body="y")
    with pytest.raises(DomainError, match=r"\$officer_name"):
        services.template_save(
            actor=bob, kind="acknowledgement", subject="Ref $reference", body="$officer_name"
        )
    with pytest.raises(DomainError, match="dollar sign"):
        services.template_save(
            actor=bob, kind="acknowledgement", subject="Ref $reference", body="Costs $5"
        )
    new = services.template_save(
        actor=bob,
        kind="acknowledgement",
        subject="Received: $reference",
        body="Hello $recipient_name, we have it. That costs you $$0.",
        change_note="Shorter",
    )
    assert new.version == 2 and LetterTemplate.objects.filter(kind="acknowledgement").count() == 2
    second = make(alice, case, LetterKind.ACKNOWLEDGEMENT)
    assert (
        second.template == new and second.body == "Hello Pat Member, we have it. That costs you $0."
    )
    first.refresh_from_db()
    assert first.template.version == 1 and "Thank you for your complaint" in first.body


def test_the_template_language_runs_no_code(alice, bob, settings):
    """Django or Jinja syntax stays literal text; attribute access is not a placeholder."""
    case = complaint(alice, supervisor=bob)
    with pytest.raises(DomainError):
        services.template_save(
            actor=bob, kind="acknowledgement", subject="s", body="${reference.__class__}"
        )
    for body in ["{{ settings.SECRET_KEY }}", "$reference.__class__"]:
        services.template_save(actor=bob, kind="acknowledgement", subject="s", body=body)
        letter = make(alice, case, LetterKind.ACKNOWLEDGEMENT)
        assert settings.SECRET_KEY not in letter.body and "<class" not in letter.body
    assert letter.body == f"{case.reference}.__class__"


def test_letter_date_cannot_be_in_the_future(alice, bob):
    case = complaint(alice, supervisor=bob)
    with pytest.raises(DomainError, match="future"):
        make(alice, case, "acknowledgement", sent_on=TODAY() + datetime.timedelta(days=1))


def list_entry(model, case, person, **fields):
    base = {
        "person": person,
        "case": case,
        "forename": person.forename,
        "surname": person.surname,
        "date_of_birth": datetime.date(1980, 5, 17),
        "rank": "Sergeant",
        "number": "4521",
        "force": "Example Constabulary",
        "role_type": "officer",
        "event_date": days_ago(1),
        "report_due": TODAY(),
    }
    return model.objects.create(**(base | fields))


def test_barred_list_report_has_the_reg_3_contents_and_refuses_without_them(alice, bob):
    from cases.models import BarredListEntry

    officer = PersonFactory(forename="Nadia", surname="Okafor")
    case = complaint(alice, officer, supervisor=bob)
    entry = list_entry(
        BarredListEntry,
        case,
        officer,
        reasons="Assaulted a detained person.",
        standards_breached="Use of force",
        date_of_birth=None,
        rank="",
    )
    with pytest.raises(DomainError) as refused:
        make(alice, case, LetterKind.BARRED_LIST_REPORT, entry=entry, sent_how="portal")
    assert "reg 3(2)(c)" in refused.value.message and "reg 3(2)(e)" in refused.value.message
    BarredListEntry.objects.filter(pk=entry.pk).update(
        date_of_birth=datetime.date(1980, 5, 17), rank="Sergeant"
    )
    entry.refresh_from_db()
    letter = make(alice, case, LetterKind.BARRED_LIST_REPORT, entry=entry, sent_how="portal")
    for text in [
        "Full name: Nadia Okafor",
        "Police force concerned: Example Constabulary",
        "Date of birth: 17 May 1980",
        "Role at the relevant time: Police officer",
        "Rank: Sergeant",
        "Warrant or staff number: 4521",
        "Assaulted a detained person.",
        "breached: Use of force",
        "Earlier advisory list report: None",
    ]:
        assert text in letter.body, text
    assert letter.recipient == "The College of Policing" and letter.complainant is None


def test_advisory_list_report_has_the_reg_12_contents(alice, bob):
    from cases.models import AdvisoryListEntry, BarredListEntry

    officer = PersonFactory(forename="Tom", surname="Reed")
    case = complaint(alice, officer, supervisor=bob)
    entry = list_entry(AdvisoryListEntry, case, officer, reason="resigned", details="")
    with pytest.raises(
        DomainError, match=r"summary of the allegation \(Barred List Regs 2017 reg 12"
    ):
        make(alice, case, LetterKind.ADVISORY_LIST_REPORT, entry=entry)
    AdvisoryListEntry.objects.filter(pk=entry.pk).update(details="Dishonest overtime claims.")
    entry.refresh_from_db()
    letter = make(alice, case, LetterKind.ADVISORY_LIST_REPORT, entry=entry)
    assert "How the person left: Resigned" in letter.body
    assert "Dishonest overtime claims." in letter.body and "Full name: Tom Reed" in letter.body
    with pytest.raises(DomainError, match="list this report is for"):
        make(alice, case, LetterKind.BARRED_LIST_REPORT, entry=entry)
    assert BarredListEntry  # imported for the wrong-list refusal above


def test_without_a_unicode_font_the_pdf_falls_back_to_latin_1(monkeypatch):
    from correspondence import rendering

    monkeypatch.setattr(rendering, "_font_dir", lambda: None)
    letter = rendering.Rendered(
        recipient="Łukasz Nowak",
        address="1 High St",
        date="1 December 2026",
        subject="Your complaint – ‘PSD-2026-000001’",
        body="Dear Łukasz,\n\nThank you…",
        force_name="Example Constabulary",
    )
    data = rendering.letter_pdf(letter)
    assert data.startswith(b"%PDF-") and b"Helvetica" in data

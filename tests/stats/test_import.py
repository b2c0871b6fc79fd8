"""Legacy CSV import: every row checked, all errors reported, nothing half-imported."""

import pytest
from django.core.management import CommandError, call_command

from cases.models import Allegation, Case, Finding, Outcome, Regime, State, SubjectTrack
from psd.domain import PermissionDenied
from stats.models import ImportBatch, ImportedCase
from stats.services import ImportRefused, allegations_import
from tests.accounts.factories import PersonFactory

pytestmark = pytest.mark.django_db
HEADER = (
    "legacy_reference,received_on,recorded_on,finalised_on,case_type,handling,category,"
    "subject_number,summary,finding,action\n"
)


def good_rows() -> str:
    return (
        "OLD-1,2019-05-02,2019-05-03,2019-09-30,complaint,sch3,Discreditable conduct,PC10001,"
        "Rude at a roadside stop,misconduct,mgmt_advice\n"
        "OLD-1,2019-05-02,2019-05-03,2019-09-30,complaint,sch3,Delivery of duties and service,,"
        "Slow response,not_acceptable,learning\n"
        "OLD-2,02/03/2021,03/03/2021,01/06/2021,Conduct matter,Recorded under Schedule 3,"
        "Abuse of position/corruption,pc10002,Improper relationship,gross,dismissal\n"
        "OLD-3,2022-01-10,,2022-01-20,complaint,outside,Delivery of duties and service,PC10001,"
        "Officer late to appointment,,\n"
    )


@pytest.fixture
def officers(db):
    return PersonFactory(number="PC10001"), PersonFactory(number="PC10002")


def run(user, text: str | bytes, dry_run=False):
    data = text.encode() if isinstance(text, str) else text
    return allegations_import(actor=user, data=data, filename="legacy.csv", dry_run=dry_run)


def test_import_creates_cases_allegations_tracks_and_approved_outcomes(eve, officers):
    result = run(eve, HEADER + good_rows())
    assert (result.rows, result.cases, result.allegations, result.outcomes) == (4, 3, 4, 3)
    old1 = ImportedCase.objects.get(legacy_reference="OLD-1").case
    assert old1.reference.startswith("PSD-2019-")  # the normal allocator
    assert old1.regime == Regime.R2012 and old1.state == State.FINALISED
    assert old1.allegations.count() == 2
    assert list(old1.allegations.values_list("about_force", flat=True)) == [False, True]
    outcome = Outcome.objects.get(allegation__case=old1, track__isnull=False)
    assert outcome.status == "approved" and outcome.decision.status == "approved"
    assert outcome.finding == Finding.MISCONDUCT_PROVEN
    old2 = ImportedCase.objects.get(legacy_reference="OLD-2").case
    assert old2.regime == Regime.R2020 and old2.case_type == "conduct"
    assert SubjectTrack.objects.get(case=old2).state == "outcome"
    old3 = ImportedCase.objects.get(legacy_reference="OLD-3").case
    assert old3.handling == "outside" and old3.recorded_on is None
    assert not Outcome.objects.filter(allegation__case=old3).exists()
    assert ImportBatch.objects.get().rows == 4


def test_one_bad_row_imports_nothing_and_every_error_has_its_row_number(eve, officers):
    text = (
        HEADER
        + good_rows()
        + (
            "OLD-4,2023-02-30,2023-03-01,,complaint,sch3,Teleportation,PC99999,Something,,\n"
            "OLD-5,2023-01-01,2023-01-02,2023-02-01,complaint,sch3,Discreditable conduct,PC10001,"
            "Rude,misconduct,mgmt_action\n"
        )
    )
    with pytest.raises(ImportRefused) as refused:
        run(eve, text)
    messages = [str(error) for error in refused.value.errors]
    assert any(m.startswith("Row 6: received_on “2023-02-30” is not a date") for m in messages)
    assert "Row 6: unknown category “Teleportation”." in messages
    assert any(m.startswith("Row 6: no one with number “PC99999”") for m in messages)
    assert any(m.startswith("Row 7: “Management action (legacy)” does not exist") for m in messages)
    assert Case.objects.count() == 0 and Allegation.objects.count() == 0
    assert ImportBatch.objects.count() == 0


def test_rows_of_one_case_must_agree(eve, officers):
    text = HEADER + (
        "OLD-9,2021-01-01,2021-01-02,,complaint,sch3,Discreditable conduct,PC10001,One,,\n"
        "OLD-9,2021-01-01,2021-01-05,,complaint,sch3,Discreditable conduct,PC10002,Two,,\n"
    )
    with pytest.raises(ImportRefused) as refused:
        run(eve, text)
    assert [str(e) for e in refused.value.errors] == [
        "Row 3: recorded_on differ(s) from row 2 of the same case “OLD-9”."
    ]


def test_dry_run_imports_nothing(eve, officers):
    result = run(eve, HEADER + good_rows(), dry_run=True)
    assert result.dry_run and (result.cases, result.allegations, result.outcomes) == (3, 4, 3)
    assert Case.objects.count() == 0 and ImportBatch.objects.count() == 0


def test_the_same_legacy_case_is_not_imported_twice(eve, officers):
    run(eve, HEADER + good_rows())
    with pytest.raises(ImportRefused) as refused:
        run(eve, HEADER + good_rows())
    assert str(refused.value.errors[0]).startswith("Row 2: legacy case “OLD-1” was imported")
    assert Case.objects.count() == 3


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "The file is empty."),
        (b"\n\n", "The file is empty."),
        (HEADER.encode(), "The file has a header row but no allegations."),
        (
            HEADER.encode() + "OLD-1,2019-05-02,,,complaint,sch3,Caf\u00e9".encode("latin-1"),
            "The file is not UTF-8 text: row 2 has the byte 0xE9",
        ),
        (b"reference,date\nA,2020-01-01\n", "Row 1: missing column(s): legacy_reference"),
    ],
)
def test_unreadable_files_get_a_clear_message(eve, data, message):
    with pytest.raises(ImportRefused) as refused:
        run(eve, data)
    assert any(str(error).startswith(message) for error in refused.value.errors)


def test_unknown_columns_are_named(eve):
    with pytest.raises(ImportRefused) as refused:
        run(eve, HEADER.strip() + ",colour\nx\n")
    assert "Row 1: unknown column(s): colour." in [str(e) for e in refused.value.errors]


def test_investigators_cannot_import(alice, officers):
    with pytest.raises(PermissionDenied):
        run(alice, HEADER + good_rows())


def test_command_prints_progress_and_imports(tmp_path, ada, officers, capsys):
    path = tmp_path / "legacy.csv"
    path.write_text(HEADER + good_rows(), encoding="utf-8")
    call_command("import_allegations", str(path), "--as-user", "ada", "--progress-every", "2")
    out = capsys.readouterr().out
    assert "Checked 2/4 rows" in out and "Checked 4/4 rows" in out
    assert "Imported 4/4 rows" in out
    assert "Imported 3 cases, 4 allegations, 3 outcomes" in out
    assert Case.objects.count() == 3


def test_command_dry_run_and_errors(tmp_path, ada, officers, capsys):
    path = tmp_path / "legacy.csv"
    path.write_text(HEADER + good_rows(), encoding="utf-8")
    call_command("import_allegations", str(path), "--as-user", "ada", "--dry-run")
    assert "Dry run: every row is valid" in capsys.readouterr().out
    assert Case.objects.count() == 0
    path.write_bytes(b"\xff\xfe" + HEADER.encode("utf-16-le"))
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_allegations", str(path), "--as-user", "ada")
    assert "not UTF-8" in capsys.readouterr().err


def test_import_is_audited(eve, officers):
    from audit.models import AuditEntry

    result = run(eve, HEADER + good_rows())
    entry = AuditEntry.objects.get(action="stats.allegations_imported")
    assert entry.actor_id == eve.pk and entry.object_pk == str(result.batch.pk)
    assert entry.data == {"rows": 4, "cases": 3, "outcomes": 3}


def test_imported_references_continue_the_normal_sequence(eve, officers):
    from cases.services.intake import allocate_reference

    assert allocate_reference(2019) == "PSD-2019-000001"
    rows = "".join(
        f"OLD-{n},2019-0{n}-01,2019-0{n}-02,,complaint,sch3,Discreditable conduct,PC10001,x,,\n"
        for n in range(1, 5)
    )
    run(eve, HEADER + rows)
    references = sorted(Case.objects.values_list("reference", flat=True))
    assert references == [f"PSD-2019-00000{n}" for n in range(2, 6)]
    assert allocate_reference(2019) == "PSD-2019-000006"

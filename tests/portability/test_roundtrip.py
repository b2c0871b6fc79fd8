"""Export → empty database → import → export gives byte-identical files, in both formats."""

import json
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from accounts.models import Rank
from audit.models import AuditEntry
from audit.verify import verify_chain
from cases.models import BarredListEntry, Case, CaseDocument, CaseNote, CaseTransition
from portability.exporter import write_export
from portability.importer import import_export
from portability.schema import MANIFEST, NOTE_TEXT_PLACEHOLDER

from .helpers import build_dataset, empty_database

pytestmark = pytest.mark.django_db


@pytest.fixture
def storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "uploads"), "base_url": None},
        },
    }


@pytest.fixture
def dataset(storage, alice, bob, carol, victor, eve, ada):
    build_dataset(alice=alice, bob=bob, carol=carol, victor=victor, eve=eve, ada=ada)


def files_of(directory: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(directory.iterdir())}


def without_time(manifest: bytes) -> dict:
    data = json.loads(manifest)
    data.pop("generated_at")
    return data


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_export_import_export_is_byte_identical(dataset, tmp_path, fmt):
    first = write_export(tmp_path / "first", fmt)
    counts = first.counts
    assert counts["cases.case"] >= 6 and counts["cases.barredlistentry"] == 1
    assert counts["cases.casenote"] == 2 and counts["cases.casedocument"] == 1
    assert counts["vetting.clearance"] == 1 and counts["stats.importedcase"] == 1
    assert counts["cases.advisorylistentry"] == 1 and counts["cases.reflectivepractice"] == 1
    assert counts["deadlines.deadline"] > 5 and counts["cases.casetransition"] > 10
    assert counts["cases.caseuserobjectpermission"] > 0 and counts["vetting.revettingtrigger"] == 1
    cases_before = list(Case.objects.order_by("pk").values_list("reference", "state"))
    manifest = json.loads((tmp_path / "first" / MANIFEST).read_text())

    empty_database()
    assert not Case.objects.exists() and not get_user_model().objects.exists()
    import_export(tmp_path / "first")
    second = write_export(tmp_path / "second", fmt)

    before, after = files_of(tmp_path / "first"), files_of(tmp_path / "second")
    assert set(before) == set(after)
    for name in before:
        if name == MANIFEST:
            assert without_time(before[name]) == without_time(after[name])
        else:
            assert before[name] == after[name], f"{name} differs after the round trip"
    assert second.counts == counts
    assert list(Case.objects.order_by("pk").values_list("reference", "state")) == cases_before
    assert manifest["schema_version"] == 2 and manifest["format"] == fmt


def test_the_import_restores_what_the_application_needs(dataset, tmp_path, alice):
    write_export(tmp_path / "out", "json")
    note_count = CaseNote.objects.count()
    latest = Case.objects.order_by("-pk").first()
    transition_times = list(CaseTransition.objects.order_by("pk").values_list("at", flat=True))
    empty_database()
    counts = import_export(tmp_path / "out")

    assert counts["cases.casenote"] == note_count
    user = get_user_model().objects.get(username="alice")
    assert not user.has_usable_password()  # no hash ever leaves
    assert user.groups.filter(name="Investigator").exists() and user.team.name == "PSD Team A"
    assert set(CaseNote.objects.values_list("text", flat=True)) == {NOTE_TEXT_PLACEHOLDER}
    # The stored timestamps are kept, not stamped with the import's time.
    assert list(CaseTransition.objects.order_by("pk").values_list("at", flat=True)) == (
        transition_times
    )
    # Sequences moved past the imported keys: a new row gets a new key.
    new = Case.objects.create(
        reference="PSD-NEW-1", case_type="complaint", summary="x", received_on=latest.received_on
    )
    assert new.pk > latest.pk
    # Each restored row passed through the audit triggers; one event sums the import up.
    event = AuditEntry.objects.get(action="data.imported")
    assert event.data["rows"]["cases.case"] == counts["cases.case"]
    assert (
        AuditEntry.objects.filter(
            table_name="cases_barredlistentry", action="insert", reason__startswith="Data import"
        ).count()
        == BarredListEntry.objects.count()
    )
    assert verify_chain().ok  # the trail, the import's rows included, still verifies


def test_the_seeded_reference_rows_are_replaced_by_the_exported_ones(db, tmp_path):
    rank = Rank.objects.get(order=1)
    rank.abbreviation = "Con"
    rank.save()
    write_export(tmp_path / "out", "csv")
    Rank.objects.filter(pk=rank.pk).update(abbreviation="PC")
    import_export(tmp_path / "out")
    assert Rank.objects.get(pk=rank.pk).abbreviation == "Con"


def test_documents_are_indexed_with_their_checksum_but_not_their_bytes(dataset, tmp_path):
    import hashlib

    write_export(tmp_path / "out", "json")
    document = CaseDocument.objects.get()
    (row,) = [
        json.loads(line)
        for line in (tmp_path / "out" / "cases.casedocument.jsonl").read_text().splitlines()
    ]
    assert row["sha256"] == hashlib.sha256(b"%PDF-1.4\nstatement\n").hexdigest()
    assert row["file"] == document.file.name and row["size"] == document.size
    exported = b"".join(path.read_bytes() for path in (tmp_path / "out").iterdir())
    assert b"statement\\n" not in exported.replace(b"Statement", b"")
    assert b"Called the complainant" not in exported and b"Heads only" not in exported
    notes = (tmp_path / "out" / "cases.casenote.jsonl").read_text()
    assert '"visibility":"heads"' in notes and '"text"' not in notes
    users = (tmp_path / "out" / "accounts.user.jsonl").read_text()
    assert "password" not in users and '"groups":["Investigator"]' in users

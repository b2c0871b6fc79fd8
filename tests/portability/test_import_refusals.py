"""A bad or mismatched export, or a database that holds data, is refused with a clear message
and nothing is written."""

import json

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Force, Person
from cases.models import Case
from portability.exporter import ExportRefused, write_export
from portability.importer import ImportRefused, import_export
from portability.schema import MANIFEST

from .helpers import empty_database

pytestmark = pytest.mark.django_db


@pytest.fixture
def export_dir(tmp_path, alice):
    from tests.cases.factories import complaint

    complaint(alice)
    write_export(tmp_path / "out", "csv")
    return tmp_path / "out"


def manifest_of(directory):
    return json.loads((directory / MANIFEST).read_text())


def rewrite_manifest(directory, change):
    data = manifest_of(directory)
    change(data)
    (directory / MANIFEST).write_text(json.dumps(data))


def test_a_database_holding_data_is_refused(export_dir):
    with pytest.raises(ImportRefused, match="already holds data") as refused:
        import_export(export_dir)
    assert "cases.case has rows" in refused.value.problems


def test_a_changed_file_is_refused_by_its_checksum(export_dir):
    empty_database()
    path = export_dir / "cases.case.csv"
    path.write_text(path.read_text().replace("Complaint about an arrest", "Complaint about a"))
    with pytest.raises(ImportRefused, match="does not match its manifest") as refused:
        import_export(export_dir)
    assert refused.value.problems == [
        "cases.case.csv: its checksum does not match the manifest (changed or cut)"
    ]
    assert not Person.objects.exists()


def test_another_schema_version_is_refused(export_dir):
    rewrite_manifest(export_dir, lambda data: data.update(schema_version=99))
    empty_database()
    with pytest.raises(ImportRefused, match="schema version 99"):
        import_export(export_dir)


def test_a_missing_file_is_refused(export_dir):
    empty_database()
    (export_dir / "cases.allegation.csv").unlink()
    with pytest.raises(ImportRefused) as refused:
        import_export(export_dir)
    assert "cases.allegation.csv: the file is missing" in refused.value.problems


def test_a_directory_without_a_manifest_is_not_an_export(tmp_path):
    with pytest.raises(ImportRefused, match="no manifest.json"):
        import_export(tmp_path)


def rewrite_cell(directory, name: str, column: str, value: str) -> None:
    """Change one cell of the first row of ``name`` and keep the manifest's checksum true."""
    import hashlib

    path = directory / name
    lines = path.read_text().splitlines(keepends=True)
    header = lines[0].rstrip("\n").split(",")
    cells = lines[1].rstrip("\n").split(",")
    cells[header.index(column)] = value
    path.write_text(lines[0] + ",".join(cells) + "\n" + "".join(lines[2:]))
    content = path.read_bytes()

    def fix_checksum(data):
        for item in data["files"]:
            if item["name"] == name:
                item["sha256"] = hashlib.sha256(content).hexdigest()
                item["bytes"] = len(content)

    rewrite_manifest(directory, fix_checksum)


def test_a_bad_value_stops_the_import_with_its_line_and_nothing_is_kept(export_dir):
    empty_database()
    rewrite_cell(export_dir, "cases.case.csv", "received_on", "31/02/2026")
    with pytest.raises(ImportRefused, match=r"cases.case.csv line 2: '31/02/2026'"):
        import_export(export_dir)
    assert not Person.objects.exists() and not Force.objects.exists()
    assert not Case.objects.exists()


def test_an_imported_case_obeys_the_case_services_rules(export_dir):
    """Issue 17: the date range of case_create holds for imported cases too."""
    empty_database()
    rewrite_cell(export_dir, "cases.case.csv", "received_on", "1989-12-31")
    with pytest.raises(ImportRefused, match="break the case rules") as refused:
        import_export(export_dir)
    assert refused.value.problems == ["PSD-2026-000001: Give a date from 01/01/1990 to 31/12/2100."]
    assert not Case.objects.exists() and not Person.objects.exists()


def test_an_export_is_written_only_to_a_new_or_empty_directory(tmp_path):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x")
    with pytest.raises(ExportRefused, match="is not empty"):
        write_export(tmp_path / "full", "json")


def test_the_commands_say_what_they_did_and_what_they_refuse(db, tmp_path, capsys):
    call_command("export_all", "--format", "json", "--out", str(tmp_path / "a"))
    assert "manifest.json" in capsys.readouterr().out
    with pytest.raises(CommandError, match="is not empty"):
        call_command("export_all", "--out", str(tmp_path / "a"))
    with pytest.raises(CommandError, match="--out DIRECTORY is required"):
        call_command("export_all")
    call_command("import_all", "--in", str(tmp_path / "a"))
    assert "Users have no password yet" in capsys.readouterr().out
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_all", "--in", str(tmp_path / "missing"))


def drop_column(directory, filename, column):
    """Rewrite a CSV file without ``column``, as an export written before it existed."""
    import csv
    import hashlib
    import io

    path = directory / filename
    rows = list(csv.reader(io.StringIO(path.read_text())))
    index = rows[0].index(column)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(
        [cell for i, cell in enumerate(row) if i != index] for row in rows
    )
    path.write_text(out.getvalue())

    def update(data):
        for entry in data["files"]:
            if entry["name"] == filename:
                entry["columns"].remove(column)
                entry["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
                entry["bytes"] = len(path.read_bytes())

    rewrite_manifest(directory, update)


def test_an_export_written_before_a_field_existed_imports_with_its_default(export_dir):
    from accounts.models import Team

    drop_column(export_dir, "accounts.team.csv", "receives_anonymous_reports")
    drop_column(export_dir, "cases.casedocument.csv", "sha256")  # derived: never imported
    empty_database()
    import_export(export_dir)
    assert Team.objects.exists()
    assert not Team.objects.filter(receives_anonymous_reports=True).exists()


def test_a_missing_required_column_or_an_unknown_one_is_refused(export_dir):
    drop_column(export_dir, "cases.case.csv", "reference")
    rewrite_manifest(
        export_dir,
        lambda data: next(e for e in data["files"] if e["name"] == "accounts.force.csv")[
            "columns"
        ].append("motto"),
    )
    empty_database()
    with pytest.raises(ImportRefused) as refused:
        import_export(export_dir)
    assert "cases.case.csv: column 'reference' is missing and has no default" in (
        refused.value.problems
    )
    assert "accounts.force.csv: unknown column 'motto'" in refused.value.problems


def test_check_reads_every_row_and_writes_nothing(export_dir, capsys):
    from audit.models import AuditEntry

    before = (Case.objects.count(), AuditEntry.objects.count())
    call_command("import_all", "--in", str(export_dir), "--check")
    assert "complete and readable" in capsys.readouterr().out
    assert (Case.objects.count(), AuditEntry.objects.count()) == before  # nothing written

    path = export_dir / "accounts.user.csv"
    path.write_text(path.read_text().replace("Investigator", "Chief Wizard"))
    fix = manifest_of(export_dir)
    import hashlib

    for entry in fix["files"]:
        if entry["name"] == path.name:
            entry["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
            entry["bytes"] = len(path.read_bytes())
    (export_dir / MANIFEST).write_text(json.dumps(fix))
    with pytest.raises(CommandError, match="not importable") as refused:
        call_command("import_all", "--in", str(export_dir), "--check")
    assert "'Chief Wizard' does not exist in this system" in str(refused.value)

"""The administrator's export page: queue an export, see where it went and its manifest; the
files stay on the server and every export is audited."""

from pathlib import Path

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from portability import runs, services
from portability.models import ExportRun, ExportStatus
from tests.cases.factories import complaint

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def export_dir(settings, tmp_path):
    settings.EXPORT_DIR = tmp_path / "exports"
    return settings.EXPORT_DIR


@pytest.fixture
def eager():
    """Run the queued task in the test's process, as in development (no broker)."""
    from psd.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


def test_ada_writes_an_export_on_the_server_and_sees_its_manifest(
    client, ada, alice, export_dir, eager, django_capture_on_commit_callbacks
):
    complaint(alice)
    client.force_login(ada)
    page = client.get(reverse("portability:exports"))
    assert page.status_code == 200 and str(export_dir) in page.content.decode()
    assert 'class="govuk-service-navigation__link" href="/export/"' in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("portability:exports"), {"format": "csv"})
    run = ExportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("portability:export_detail", args=[run.pk])
    assert run.status == ExportStatus.DONE and run.requested_by == ada
    directory = Path(run.directory)
    assert directory.parent == export_dir and (directory / "manifest.json").is_file()
    assert (directory / "cases.case.csv").read_text().count("\n") == 2  # header + one case

    detail = client.get(response["Location"]).content.decode()
    case_file = next(f for f in run.manifest["files"] if f["name"] == "cases.case.csv")
    assert case_file["sha256"] in detail and "cases.case.csv" in detail
    assert "Complaint about an arrest" not in detail  # the content never reaches the browser

    requested = AuditEntry.objects.get(action="data.export_requested")
    written = AuditEntry.objects.get(action="data.exported")
    assert requested.actor == ada and written.actor == ada
    assert written.data["format"] == "csv" and written.data["rows"]["cases.case"] == 1


def test_only_administrators_may_export(client, alice, eve):
    for user in (alice, eve):
        client.force_login(user)
        assert client.post(reverse("portability:exports"), {"format": "json"}).status_code == 403
    assert not ExportRun.objects.exists()


def test_an_unknown_format_is_refused_on_the_form(client, ada):
    client.force_login(ada)
    response = client.post(reverse("portability:exports"), {"format": "xml"})
    assert response.status_code == 400 and "Select a valid choice" in response.content.decode()
    assert not ExportRun.objects.exists()


def test_a_run_is_written_once(ada):
    run = services.export_request(actor=ada, fmt="json")  # on_commit not run: still queued
    assert runs.export_run_execute(run_id=run.pk) == "done"
    assert runs.export_run_execute(run_id=run.pk) == "not queued"
    assert AuditEntry.objects.filter(action="data.exported").count() == 1


def test_a_failed_export_leaves_no_partial_directory(ada, export_dir, monkeypatch):
    run = services.export_request(actor=ada, fmt="json")

    def broken(directory, fmt):
        Path(directory).mkdir(parents=True)
        (Path(directory) / "accounts.team.jsonl").write_text("")
        raise OSError("disk full")

    monkeypatch.setattr(runs, "write_export", broken)
    assert runs.export_run_execute(run_id=run.pk) == "failed"
    run.refresh_from_db()
    assert run.status == ExportStatus.FAILED and "OSError" in run.error
    assert not any(export_dir.iterdir())
    assert AuditEntry.objects.filter(action="data.export_failed", actor=ada).exists()


def test_one_export_at_a_time_and_a_stalled_one_is_given_up(client, ada, settings):
    import datetime

    from django.utils import timezone

    from psd.domain import DomainError

    first = services.export_request(actor=ada, fmt="json")  # queued (no worker in this test)
    with pytest.raises(DomainError, match=f"Export {first.pk} is still being written"):
        services.export_request(actor=ada, fmt="csv")
    client.force_login(ada)
    response = client.post(reverse("portability:exports"), {"format": "csv"})
    assert response.status_code == 400 and "still being written" in response.content.decode()

    timeout = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    ExportRun.objects.filter(pk=first.pk).update(
        requested_at=timezone.now() - datetime.timedelta(seconds=timeout + 60)
    )
    second = services.export_request(actor=ada, fmt="csv")
    first.refresh_from_db()
    assert first.status == ExportStatus.FAILED and "did not finish" in first.error
    assert second.status == ExportStatus.QUEUED


def test_the_service_refuses_anyone_without_the_permission(alice):
    from psd.domain import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.export_request(actor=alice, fmt="json")

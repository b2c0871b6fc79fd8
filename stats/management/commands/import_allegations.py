"""Import historic allegations from a legacy-system CSV (all rows or none)."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from psd.domain import DomainError
from stats import services
from stats.legacy_csv import COLUMN_HELP


class Command(BaseCommand):
    help = (
        "Import historic allegations from FILE (UTF-8 CSV, one row per allegation; columns: "
        + ", ".join(name for name, _, _ in COLUMN_HELP)
        + "). Every row is checked first; any problem imports nothing and lists every problem "
        "with its row number."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="path to the CSV file")
        parser.add_argument(
            "--dry-run", action="store_true", help="check and count, but import nothing"
        )
        parser.add_argument(
            "--as-user",
            default="",
            help="username recorded as the importer (needs stats.import_allegations); "
            "default: the first active superuser",
        )
        parser.add_argument(
            "--progress-every", type=int, default=1000, help="print progress every N rows"
        )

    def handle(self, *args, file: str, dry_run: bool, as_user: str, progress_every: int, **kw):
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}.") from None
        actor = self._actor(as_user)

        def progress(stage: str, done: int, total: int) -> None:
            self.stdout.write(f"{stage.capitalize()} {done}/{total} rows")

        try:
            result = services.allegations_import(
                actor=actor,
                data=data,
                filename=path.name,
                dry_run=dry_run,
                progress=progress,
                every=max(progress_every, 1),
            )
        except services.ImportRefused as refused:
            for error in refused.errors:
                self.stderr.write(str(error))
            raise CommandError(refused.message) from None
        except DomainError as exc:
            raise CommandError(exc.message) from None
        summary = (
            f"{result.cases} cases, {result.allegations} allegations, {result.outcomes} outcomes"
        )
        if result.dry_run:
            self.stdout.write(
                self.style.SUCCESS(f"Dry run: every row is valid; would import {summary}.")
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(f"Imported {summary} (import batch {result.batch.pk}).")
            )

    def _actor(self, username: str):
        users = get_user_model().objects.filter(is_active=True)
        actor = (
            users.filter(username=username).first()
            if username
            else users.filter(is_superuser=True).order_by("pk").first()
        )
        if actor is None:
            raise CommandError(
                f"No active user “{username}”." if username else "Give --as-user USERNAME."
            )
        return actor

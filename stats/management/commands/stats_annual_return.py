"""The annual return: every statistics table for one financial year, with the published
tables' headings, as CSV files (``--out DIR``) or printed (no ``--out``) to paste into the
national template."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from stats.periods import Scope, financial_year
from stats.selectors import statistics_tables


class Command(BaseCommand):
    help = (
        "The statistics tables for financial year YEAR/YEAR+1 (1 April YEAR to 31 March "
        "YEAR+1), with the published tables' headings: written as CSV files in DIR, one per "
        "table, named <table>-<year>.csv, or, without --out, printed one after another (each "
        "preceded by its title) exactly as the files would hold them."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="e.g. 2025 for 2025/26")
        parser.add_argument("--out", default="", help="directory to write the files to")

    def handle(self, *args, year: int, out: str, **options):
        if not 2000 <= year <= 2100:
            raise CommandError("Give the year the financial year starts in, e.g. --year 2025.")
        period = financial_year(year)
        tables = statistics_tables(period=period, scope=Scope())
        if not out:
            for table in tables.values():
                self.stdout.write(f"{table.title} ({table.name}-{year}.csv)")
                self.stdout.write(table.to_csv(), ending="")
                self.stdout.write("")
            return
        directory = Path(out)
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CommandError(f"Cannot create {directory}: {exc.strerror}.") from None
        for table in tables.values():
            path = directory / f"{table.name}-{year}.csv"
            path.write_text(table.to_csv(), encoding="utf-8", newline="")
            self.stdout.write(f"Wrote {path}")
        self.stdout.write(
            self.style.SUCCESS(f"{len(tables)} tables for {period.label} written to {directory}.")
        )

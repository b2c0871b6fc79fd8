"""Write every statistics table for one financial year as CSV files (the annual return)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from stats.periods import Scope, financial_year
from stats.selectors import statistics_tables


class Command(BaseCommand):
    help = (
        "Write the statistics tables for financial year YEAR/YEAR+1 (1 April YEAR to 31 March "
        "YEAR+1) as CSV files in DIR, one file per table, named <table>-<year>.csv."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="e.g. 2025 for 2025/26")
        parser.add_argument("--out", required=True, help="directory to write the files to")

    def handle(self, *args, year: int, out: str, **options):
        if not 2000 <= year <= 2100:
            raise CommandError("Give the year the financial year starts in, e.g. --year 2025.")
        directory = Path(out)
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CommandError(f"Cannot create {directory}: {exc.strerror}.") from None
        period = financial_year(year)
        tables = statistics_tables(period=period, scope=Scope())
        for table in tables.values():
            path = directory / f"{table.name}-{year}.csv"
            path.write_text(table.to_csv(), encoding="utf-8", newline="")
            self.stdout.write(f"Wrote {path}")
        self.stdout.write(
            self.style.SUCCESS(f"{len(tables)} tables for {period.label} written to {directory}.")
        )

"""Barred and advisory list entries made before the list rules were read against the law
(issue 18), which the corrected rules would not have made, or would have made otherwise: a
report for a person to review. Nothing is changed or deleted.

    manage.py lists_review            # a readable report
    manage.py lists_review --csv      # the same findings as CSV
"""

import csv

from django.core.management.base import BaseCommand

from cases.services.review import list_findings


class Command(BaseCommand):
    help = (
        "Report barred/advisory list entries the corrected rules (Police Act 1996 s88A, s88I, "
        "s88L; SI 2017/1135 regs 3, 12) would not have created, or would date otherwise, for "
        "a human to review. Read-only: nothing is changed or deleted."
    )

    def add_arguments(self, parser):
        parser.add_argument("--csv", action="store_true", help="Write CSV instead of text.")

    def handle(self, *args, **options):
        findings = list_findings()
        if options["csv"]:
            writer = csv.writer(self.stdout)
            writer.writerow(["list", "entry", "case", "person", "finding", "rule"])
            for f in findings:
                writer.writerow([f.list, f.entry_id, f.case, f.person, f.finding, f.rule])
            return
        if not findings:
            self.stdout.write("No list entry to review: every one fits the corrected rules.")
            return
        self.stdout.write(
            f"{len(findings)} list entr{'y' if len(findings) == 1 else 'ies'} to review "
            "(nothing has been changed or deleted):"
        )
        for f in findings:
            self.stdout.write(
                f"- {f.list} entry {f.entry_id} ({f.person}, case {f.case or '—'}): "
                f"{f.finding} [{f.rule}]"
            )

"""``manage.py rules``: print the rule register, or write it (``--markdown docs/rules.md``)."""

from pathlib import Path

from django.core.management.base import BaseCommand

from psd.register import markdown


class Command(BaseCommand):
    help = "Print the rule register (guards, input rules, clocks) or write it as Markdown."

    def add_arguments(self, parser):
        parser.add_argument("--markdown", metavar="PATH", help="write the register to PATH")

    def handle(self, *args, markdown: str | None = None, **options):
        text = markdown_text()
        if markdown:
            Path(markdown).write_text(text, encoding="utf-8")
            self.stdout.write(f"Wrote {markdown}.")
        else:
            self.stdout.write(text, ending="")


markdown_text = markdown

"""Load demonstration data. Idempotent: running it again changes nothing already there.

Each project app may have a ``demo.py`` with ``load(out)``; they run in INSTALLED_APPS order.
"""

from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

PROJECT_APPS = ("accounts", "cases", "deadlines", "vetting", "reporting", "stats", "audit")


class Command(BaseCommand):
    help = "Load demonstration data (idempotent). Demo passwords are printed once, on creation."

    def handle(self, *args, **options):
        for config in apps.get_app_configs():
            if config.name not in PROJECT_APPS:
                continue
            try:
                module = import_module(f"{config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.demo":
                    raise
                continue
            with transaction.atomic():
                module.load(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))

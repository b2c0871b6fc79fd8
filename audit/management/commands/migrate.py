"""``migrate`` as the owner role when MIGRATION_DATABASE_URL is set (audit.dbroles).

The tables are created by, and belong to, the owner; after the run the post_migrate hook
(audit.apps) reinstalls the audit triggers and grants the application role (DATABASE_URL) its
least privileges. Without MIGRATION_DATABASE_URL this is Django's migrate, unchanged.
"""

from django.core.management.commands.migrate import Command as MigrateCommand

from audit.dbroles import connected_as_owner


class Command(MigrateCommand):
    def handle(self, *args, **options):
        with connected_as_owner(options["database"]):
            return super().handle(*args, **options)

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from audit.dbroles import RoleError, connected_as_owner, grant_app_role


class Command(BaseCommand):
    help = (
        "PostgreSQL: grant the application's role (DATABASE_URL's user, or --role) normal DML "
        "on every table and only SELECT/INSERT on the audit trail. Connects as the owner "
        "(MIGRATION_DATABASE_URL); migrate does this after every run."
    )

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default")
        parser.add_argument("--role", help="default: the user of DATABASE_URL")

    def handle(self, *args, database, role, **options):
        if connections[database].vendor != "postgresql":
            raise CommandError("database roles are a PostgreSQL feature")
        role = role or settings.DATABASES[database].get("USER")
        if not settings.DATABASE_OWNER:
            raise CommandError("set MIGRATION_DATABASE_URL to the owner role first")
        if role == settings.DATABASE_OWNER.get("USER"):
            raise CommandError(f"{role} is the owner: the application needs a role of its own")
        try:
            with connected_as_owner(database):
                grant_app_role(role=role, using=database)
        except RoleError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"{role}: DML on every table; SELECT and INSERT only on the audit trail")

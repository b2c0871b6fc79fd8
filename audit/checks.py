"""``manage.py check --database default`` (and ``--deploy``): is the application's role
least-privileged on the audit trail? (audit.dbroles; README, MIGRATION_DATABASE_URL)."""

from django.core.checks import Tags, Warning, register
from django.db import DatabaseError, connections

from . import dbroles


@register(Tags.database)
def application_role_cannot_rewrite_the_trail(app_configs=None, databases=None, **kwargs):
    problems = []
    for alias in databases or ():
        connection = connections[alias]
        if connection.vendor != "postgresql" or dbroles.owner_in_force():
            continue  # SQLite has no roles; migrate connects as the owner on purpose
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT current_user")
                problem = dbroles.privilege_problem(cursor, cursor.fetchone()[0])
        except DatabaseError:
            continue  # no audit table yet (before the first migrate)
        if problem:
            problems.append(
                Warning(
                    f"The application's database role can rewrite the audit trail: {problem}.",
                    hint="Give migrations an owner role (MIGRATION_DATABASE_URL) and connect "
                    "the application as a role of its own (DATABASE_URL); migrate grants it.",
                    id="audit.W001",
                )
            )
    return problems

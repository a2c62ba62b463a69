"""`manage.py migrate`: Django's own, run by one process at a time on PostgreSQL.

Every replica's entrypoint (docker/entrypoint.sh) migrates before it starts gunicorn,
and so may a Kubernetes Job (deploy/kubernetes/): when several start together, their
migrate commands would apply the same migrations at the same moment and fail on each
other's tables, or worse, half-apply a data migration twice. On PostgreSQL this
command first takes a session-level advisory lock on the database: the first process
migrates, the others wait for it, then find nothing left to apply. Other databases
(SQLite: one machine's file) migrate as Django does. Ours because neither Django nor
a maintained package offers it for `migrate` itself.
"""

from django.core.management.commands import migrate
from django.db import connections

# Any 64-bit number that nothing else on the database uses as an advisory lock:
# the letters "ump-migr".
MIGRATION_LOCK = int.from_bytes(b"ump-migr", "big")


class Command(migrate.Command):
    help = f"{migrate.Command.help} On PostgreSQL, one process at a time (advisory lock)."

    def handle(self, *args, **options):
        connection = connections[options["database"]]
        if connection.vendor != "postgresql":
            return super().handle(*args, **options)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [MIGRATION_LOCK])
            if not cursor.fetchone()[0]:
                self.stdout.write("Another process is migrating this database: waiting for it.")
                cursor.execute("SELECT pg_advisory_lock(%s)", [MIGRATION_LOCK])
        try:
            return super().handle(*args, **options)
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [MIGRATION_LOCK])

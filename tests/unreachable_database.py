"""A database that does not answer, for real: no mock of Django's database layer.

`unreachable_database()` swaps the `default` connection for one of the same
backend that cannot reach its database. On PostgreSQL it points at a TCP port on
127.0.0.1 where nothing listens, so psycopg's connect is refused as it is when
the server is stopped; on SQLite it points at a file in a folder that does not
exist, which SQLite cannot open. Either way every query raises the backend's own
OperationalError. Leaving the block puts the working connection back.

`free_port()` gives a port nobody listens on (bound, then released).
"""

import contextlib
import socket

from django.db import DEFAULT_DB_ALIAS, connections


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def dead_settings(settings_dict, tmp_path):
    dead = dict(settings_dict)
    if dead["ENGINE"] == "django.db.backends.sqlite3":
        dead["NAME"] = str(tmp_path / "no-such-folder" / "db.sqlite3")
    else:
        dead["HOST"] = "127.0.0.1"
        dead["PORT"] = str(free_port())
    return dead


@contextlib.contextmanager
def unreachable_database(tmp_path):
    working = connections[DEFAULT_DB_ALIAS]
    backend = type(working)
    broken = backend(dead_settings(working.settings_dict, tmp_path), DEFAULT_DB_ALIAS)
    connections[DEFAULT_DB_ALIAS] = broken
    try:
        yield broken
    finally:
        connections[DEFAULT_DB_ALIAS] = working
        broken.close()

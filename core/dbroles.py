"""The database role the application runs as (settings.LAGET_DB_APP_ROLE, `laget_app`).

Migrations run as the tables' owner; web, worker and beat connect as this role, which owns nothing.
It may read and write the application's tables, but on the audit trail only read and append (plus
the sealer's fill-in of chain_hash), and it cannot disable triggers, because only an owner or a
superuser can. Run by migration core 0007 and by `manage.py db_app_role` (after restoring a dump,
or where the owner may not create roles and an administrator made the role by hand).
"""

from __future__ import annotations

from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from psycopg import sql

# Append-only tables: the role may read and add rows, never change or remove them.
APPEND_ONLY = ("core_auditevent", "core_auditseal")
# Written only by PostgreSQL's numbering trigger (as the owner); the role may read it.
READ_ONLY = ("core_auditcounter",)


def _role_exists(cursor: Any, role: str) -> bool:
    cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
    return cursor.fetchone() is not None


def app_role_grant(connection: BaseDatabaseWrapper, role: str, *, password: str | None = None) -> bool:
    """Create the role if it is missing and the connected user may create roles, then grant it
    exactly what the application needs, in this database, now and for tables made later by the
    connected (owner) user. Safe to run again. Returns False when the role does not exist and
    could not be made (then the grants wait for `manage.py db_app_role`)."""
    ident = sql.Identifier(role)
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user")
        row = cursor.fetchone()
        may_create = bool(row and row[0])
        if not _role_exists(cursor, role):
            if not may_create:
                return False
            # Two test databases migrating at once may both try: the second one's error is harmless.
            cursor.execute(
                sql.SQL(
                    "DO $$ BEGIN CREATE ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS; "
                    "EXCEPTION WHEN duplicate_object THEN NULL; END $$"
                ).format(ident)
            )
        cursor.execute("SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = %s", [role])
        flags = cursor.fetchone()
        if flags and flags[0]:
            raise RuntimeError(f"The application's database role {role} must not be a superuser nor bypass RLS.")
        if password:
            cursor.execute(sql.SQL("ALTER ROLE {} LOGIN PASSWORD {}").format(ident, sql.Literal(password)))
        cursor.execute("SELECT current_database(), current_schema()")
        database, schema = cursor.fetchone()
        db, sch = sql.Identifier(database), sql.Identifier(schema)
        statements = [
            sql.SQL("GRANT CONNECT, TEMPORARY ON DATABASE {} TO {}").format(db, ident),
            sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(sch, ident),
            sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {} TO {}").format(sch, ident),
            sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {} TO {}").format(sch, ident),
            # Tables and sequences that later migrations make (as this same owner).
            sql.SQL(
                "ALTER DEFAULT PRIVILEGES IN SCHEMA {} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {}"
            ).format(sch, ident),
            sql.SQL("ALTER DEFAULT PRIVILEGES IN SCHEMA {} GRANT USAGE, SELECT ON SEQUENCES TO {}").format(sch, ident),
        ]
        for table in APPEND_ONLY + READ_ONLY:
            statements.append(
                sql.SQL("REVOKE ALL ON {} FROM {}").format(sql.Identifier(table), ident),
            )
            grant = "SELECT" if table in READ_ONLY else "SELECT, INSERT"
            statements.append(sql.SQL("GRANT " + grant + " ON {} TO {}").format(sql.Identifier(table), ident))
        # The sealer's one fill-in (the trigger allows it once per entry, changing nothing else).
        statements.append(sql.SQL("GRANT UPDATE (chain_hash) ON core_auditevent TO {}").format(ident))
        for statement in statements:
            cursor.execute(statement)
    return True

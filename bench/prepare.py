"""A bench run's database and static files, reused from an earlier run when nothing they come from changed.

Migrating a new database from nothing takes about 25 s of CPU here (Wagtail's and our
migrations) and collecting the static files with compression about 16 s: together a tenth of a
full run, and the same work every time. So the first run keeps a migrated copy as a template
database (``<bench database>_template``, its fingerprint in the database's comment) and marks the
collected files with theirs. A later run clones the template (a file copy inside PostgreSQL,
about a second) and skips collecting, as long as the fingerprints still match: the fingerprint
covers every migration file, the installed packages and their versions, and every source static
file, so any change to them prepares from nothing again. BENCH_FRESH=1 always does.
"""

import hashlib
import os
from importlib import metadata
from pathlib import Path
from urllib.parse import urlparse

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
FRESH = os.environ.get("BENCH_FRESH") == "1"


def _digest(files, *extra: str) -> str:
    digest = hashlib.sha256()
    for item in extra:
        digest.update(item.encode() + b"\0")
    for path in sorted(files):
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:32]


def _packages() -> str:
    """Every installed distribution and its version (Wagtail's migrations and static files are in them)."""
    return ";".join(sorted(f"{d.metadata['Name']}=={d.version}" for d in metadata.distributions()))


def schema_fingerprint() -> str:
    migrations = [p for p in ROOT.glob("*/migrations/*.py") if ".venv" not in p.parts]
    return _digest(migrations, _packages())


def static_fingerprint() -> str:
    files = [p for p in (ROOT / "static").rglob("*") if p.is_file()]
    return _digest(files, _packages())


def database_prepare(database_url: str, migrate) -> str:
    """Recreate the bench database, migrated; "reused" when cloned from a matching template.

    ``migrate()`` runs the migrations against the new, empty database (a subprocess that has
    exited by the time it returns, so the database can then be copied).
    """
    url = urlparse(database_url)
    name = url.path.lstrip("/")
    if not name.startswith("advocacy_bench"):
        raise SystemExit(f"refusing to drop {name!r}: the bench database's name must start with advocacy_bench")
    template = f"{name}_template"
    admin = url._replace(path="/postgres").geturl()
    wanted = schema_fingerprint()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [template]
        ).fetchone()
        if row and row[0] == wanted and not FRESH:
            conn.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(name), sql.Identifier(template))
            )
            return "reused"
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    migrate()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(template)))
        conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(template), sql.Identifier(name)))
        conn.execute(sql.SQL("COMMENT ON DATABASE {} IS {}").format(sql.Identifier(template), sql.Literal(wanted)))
    return "migrated"


def static_prepare(static_root: Path, collect) -> str:
    """Collect the static files unless the last collection's fingerprint still matches; "reused" if so."""
    marker = static_root / ".bench-fingerprint"
    wanted = static_fingerprint()
    if not FRESH and (static_root / "staticfiles.json").exists() and marker.exists() and marker.read_text() == wanted:
        return "reused"
    collect()
    marker.write_text(wanted)
    return "collected"

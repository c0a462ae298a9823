"""A web process fills Django's lazy tables before its first request (advocacy/warmup.py).

Run in a child process, as gunicorn imports the WSGI module in each worker: this process has
served other tests, so its tables are warm whatever the code does."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CHILD = """
import json
import advocacy.wsgi  # what gunicorn imports in each worker
from django.conf import settings
from django.template import engines
from django.urls import get_resolver
from django.utils.translation import trans_real

loader = engines["django"].engine.template_loaders[0]
print(json.dumps({
    "reverse_languages": sorted(get_resolver()._reverse_dict),
    "catalogues": sorted(trans_real._translations),
    "languages": sorted(code for code, _ in settings.LANGUAGES),
    "loader": type(loader).__name__,
    "templates": sorted(getattr(loader, "get_template_cache", {})),
}))
"""


def child(**env) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", CHILD],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "advocacy.settings.test", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_web_process_builds_every_languages_urls_and_catalogue_and_compiles_templates_at_start():
    result = child()
    assert set(result["languages"]) <= set(result["reverse_languages"])
    assert set(result["languages"]) <= set(result["catalogues"])
    assert result["loader"] == "Loader"  # Django's cached loader keeps what was compiled
    assert {"cms/campaign_page.html", "base.html"} <= set(result["templates"])


def test_a_web_process_starts_while_the_database_is_down():
    # Port 9 (discard): nothing answers there; warming up must not need the database.
    result = child(DATABASE_URL="postgres://nobody@127.0.0.1:9/none")
    assert result["reverse_languages"]

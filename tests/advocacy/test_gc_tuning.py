"""The web process sets its start-up objects aside from the garbage collector (advocacy/gc_tuning.py).

Run in a child process: freezing is for a whole process, and this one runs the other tests."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CHILD = """
import gc, json, sys
import advocacy.wsgi  # what gunicorn imports in each worker
frozen = gc.get_freeze_count()
class Node: pass
a, b = Node(), Node()
a.other, b.other = b, a  # a reference cycle made after start-up, as a request might
del a, b
collected = gc.collect()
print(json.dumps({"frozen": frozen, "collected": collected, "views_loaded": "cms.views" in sys.modules}))
"""


def test_a_web_process_freezes_its_start_up_objects_and_still_collects_new_garbage():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "advocacy.settings.test"}
    done = subprocess.run(
        [sys.executable, "-c", CHILD], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    # Django, Wagtail and every view module: well over a hundred thousand objects.
    assert result["frozen"] > 100_000
    assert result["views_loaded"]  # the URLconf was loaded before freezing, not on the first request
    assert result["collected"] >= 2  # garbage made afterwards is still freed

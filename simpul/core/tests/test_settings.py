"""Production-like settings pass Django's deployment check; bad configuration stops start-up."""

import os
import subprocess
import sys
from pathlib import Path

BASE = Path(__file__).resolve().parents[3]


def run_manage(*args, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SIMPUL_", "DJANGO_", "DATABASE_URL"))}
    clean.update(env)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=BASE, env=clean, capture_output=True, text=True,
                          timeout=120, check=False)


PRODUCTION = {
    "SIMPUL_ENV": "production",
    "SIMPUL_SECRET_KEY": "p" * 20 + "-ProductionLikeSecretKeyForDeployCheck-0123456789",
    "SIMPUL_FIELD_KEY": "field-key-for-deploy-check-0123456789",
    "SIMPUL_LOOKUP_KEY": "lookup-key-for-deploy-check-0123456789",
    "SIMPUL_ALLOWED_HOSTS": "simpul.example.go.id",
    "DATABASE_URL": "sqlite:////tmp/simpul-deploy-check.sqlite3",
}


def test_check_deploy_passes_with_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_secrets():
    env = {k: v for k, v in PRODUCTION.items() if k != "SIMPUL_FIELD_KEY"}
    result = run_manage("check", **env)
    assert result.returncode != 0
    assert "SIMPUL_FIELD_KEY" in result.stderr


def test_a_malformed_boolean_stops_start_up():
    result = run_manage("check", **PRODUCTION, SIMPUL_DEBUG="yes")
    assert result.returncode != 0
    assert "SIMPUL_DEBUG" in result.stderr


def _backend(**env) -> str:
    result = run_manage("shell", "-c", "from django.conf import settings; print(settings.TASKS['default']['BACKEND'])",
                        **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_tasks_wait_for_a_worker_unless_told_to_run_inline():
    # Production and development queue tasks for manage.py db_worker; make demo, which starts no worker, and the
    # tests run them inline after the commit that queued them.
    assert _backend(**PRODUCTION) == "django_tasks_db.DatabaseBackend"
    development = {"SIMPUL_ENV": "development", "DATABASE_URL": "sqlite:////tmp/simpul-tasks-check.sqlite3"}
    assert _backend(**development) == "django_tasks_db.DatabaseBackend"
    assert _backend(**development, SIMPUL_TASKS_INLINE="1") == "django_tasks.backends.immediate.ImmediateBackend"
    assert _backend(SIMPUL_ENV="test") == "django_tasks.backends.immediate.ImmediateBackend"

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

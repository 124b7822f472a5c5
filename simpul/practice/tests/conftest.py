"""Practice tests: each test gets its own practice folder, with the migrated template copied in (migrating
it takes a while, so it is made once per test session)."""

import shutil

import pytest
from django.test import override_settings

from simpul.practice import workspace


@pytest.fixture(scope="session")
def practice_template(tmp_path_factory, django_db_setup, django_db_blocker):
    base = tmp_path_factory.mktemp("practice-template")
    with override_settings(SIMPUL_PRACTICE_DIR=base), django_db_blocker.unblock():
        return workspace.template_ensure()


@pytest.fixture
def practice_dir(settings, tmp_path, practice_template):
    folder = tmp_path / "practice"
    folder.mkdir()
    shutil.copyfile(practice_template, folder / practice_template.name)
    settings.SIMPUL_PRACTICE_DIR = folder
    return folder

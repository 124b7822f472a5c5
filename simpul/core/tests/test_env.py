"""Strict environment readers: a wrong value stops start-up instead of falling back."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from simpul.env import env_bool, env_int, env_list, env_secret, env_str

NAME = "SIMPUL_TEST_SETTING"


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    for name in (NAME, f"{NAME}_FILE"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize(("raw", "expected"), [("true", True), ("TRUE", True), (" 1 ", True), ("false", False),
                                               ("False", False), ("0", False)])
def test_env_bool_reads_true_false_one_zero(monkeypatch, raw, expected):
    monkeypatch.setenv(NAME, raw)
    assert env_bool(NAME, not expected) is expected


@pytest.mark.parametrize("raw", ["yes", "no", "on", "off", "2", "t", "benar"])
def test_env_bool_refuses_anything_else(monkeypatch, raw):
    monkeypatch.setenv(NAME, raw)
    with pytest.raises(ImproperlyConfigured, match=NAME):
        env_bool(NAME, False)


@pytest.mark.parametrize("default", [True, False])
def test_env_bool_uses_the_default_when_unset_or_empty(monkeypatch, default):
    assert env_bool(NAME, default) is default
    monkeypatch.setenv(NAME, "")
    assert env_bool(NAME, default) is default


def test_env_str_requires_a_value_without_default(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match=NAME):
        env_str(NAME)
    monkeypatch.setenv(NAME, "")
    with pytest.raises(ImproperlyConfigured):
        env_str(NAME)
    assert env_str(NAME, "fallback") == "fallback"
    monkeypatch.setenv(NAME, "value")
    assert env_str(NAME) == "value"


def test_env_int_parses_and_checks_the_minimum(monkeypatch):
    assert env_int(NAME, 7) == 7
    monkeypatch.setenv(NAME, "300")
    assert env_int(NAME, 7, minimum=300) == 300
    monkeypatch.setenv(NAME, "299")
    with pytest.raises(ImproperlyConfigured, match="at least 300"):
        env_int(NAME, 7, minimum=300)


@pytest.mark.parametrize("raw", ["ten", "1.5", "0x10", "5 minutes"])
def test_env_int_refuses_a_non_integer(monkeypatch, raw):
    monkeypatch.setenv(NAME, raw)
    with pytest.raises(ImproperlyConfigured, match="integer"):
        env_int(NAME, 1)


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch):
    assert env_list(NAME, ["default"]) == ["default"]
    monkeypatch.setenv(NAME, " simpul.example.id , ,localhost,")
    assert env_list(NAME, []) == ["simpul.example.id", "localhost"]
    monkeypatch.setenv(NAME, "   ")
    assert env_list(NAME, ["default"]) == ["default"]


def test_env_secret_reads_the_variable(monkeypatch):
    monkeypatch.setenv(NAME, "s3cret")
    assert env_secret(NAME) == "s3cret"


def test_env_secret_reads_a_file_and_strips_the_newline(monkeypatch, tmp_path):
    secret_file = tmp_path / "secret"
    secret_file.write_text("from-a-file\n", encoding="utf-8")
    monkeypatch.setenv(f"{NAME}_FILE", str(secret_file))
    assert env_secret(NAME) == "from-a-file"


def test_env_secret_refuses_both_forms_at_once(monkeypatch, tmp_path):
    secret_file = tmp_path / "secret"
    secret_file.write_text("from-a-file", encoding="utf-8")
    monkeypatch.setenv(NAME, "direct")
    monkeypatch.setenv(f"{NAME}_FILE", str(secret_file))
    with pytest.raises(ImproperlyConfigured, match="not both"):
        env_secret(NAME)


def test_env_secret_refuses_a_missing_or_empty_file(monkeypatch, tmp_path):
    monkeypatch.setenv(f"{NAME}_FILE", str(tmp_path / "absent"))
    with pytest.raises(ImproperlyConfigured, match="unreadable"):
        env_secret(NAME)
    empty = tmp_path / "empty"
    empty.write_text("  \n", encoding="utf-8")
    monkeypatch.setenv(f"{NAME}_FILE", str(empty))
    with pytest.raises(ImproperlyConfigured, match="empty"):
        env_secret(NAME)


def test_env_secret_requires_a_value_unless_a_default_is_given():
    with pytest.raises(ImproperlyConfigured, match=f"{NAME}_FILE"):
        env_secret(NAME)
    assert env_secret(NAME, "dev-default") == "dev-default"


def test_env_secret_file_wins_over_the_default(monkeypatch, tmp_path):
    secret_file = tmp_path / "secret"
    secret_file.write_text("mounted", encoding="utf-8")
    monkeypatch.setenv(f"{NAME}_FILE", str(secret_file))
    assert env_secret(NAME, "dev-default") == "mounted"

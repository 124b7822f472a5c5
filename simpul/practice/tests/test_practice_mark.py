"""Printed pages that do not extend base.html (report PDF, KMS PDF, public receipt) carry the practice mark."""

import pytest
from django.template import Context, Template
from django.template.loader import get_template
from django.utils import translation

from simpul.accounts.scope import scope_for
from simpul.practice.services import practice_start
from simpul.practice.tests.kit import inside

MARK = Template("{% load practice_tags %}{% practice_mark %}")


@pytest.fixture
def practising(kader_miji, posyandu_miji, practice_dir):
    practice_start(user=kader_miji, scope=scope_for(kader_miji), posyandu=posyandu_miji)
    return posyandu_miji


def test_the_mark_is_empty_outside_practice(db):
    assert MARK.render(Context()) == ""


def test_the_mark_says_practice_inside_it_in_bahasa(practising):
    with inside(practising), translation.override("id"):
        html = MARK.render(Context())
    assert "data-practice-mark" in html and "MODE LATIHAN" in html


@pytest.mark.parametrize("name", ["reports/print.html", "health/kms_pdf.html", "referrals/public_base.html"])
def test_printed_templates_use_the_mark(name):
    source = get_template(name).template.source
    assert "{% practice_mark %}" in source

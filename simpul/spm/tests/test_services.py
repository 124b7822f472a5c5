"""Targets, official sasaran and external figures: Tim Pembina writes inside its kab/kota, every bad value is
a field error with nothing written, every write and removal leaves an audit entry."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from simpul.accounts.scope import scope_for
from simpul.audit.models import AuditEntry
from simpul.core.errors import DomainError, NotInScope
from simpul.spm import services
from simpul.spm.models import ExternalFigure, OfficialSasaran, Target

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(dt.datetime(2026, 11, 23, 9, 0))


def set_target(user, **values):
    data = {"region": "3576", "indicator": "kes.balita", "year": 2026, "percent": "95"} | values
    return services.target_set(actor=user, scope=scope_for(user), now=NOW, **data)


def set_sasaran(user, **values):
    data = {"region": "357603", "indicator": "kes.ibu_hamil", "year": 2026, "count": 120,
            "source": "Proyeksi Dinkes 2026"} | values
    return services.official_sasaran_set(actor=user, scope=scope_for(user), now=NOW, **data)


def set_figure(user, **values):
    data = {"region": "357603", "indicator": "kes.ibu_bersalin", "year": 2026, "month": 10, "denominator": 40,
            "numerator": 38, "source": "SIMPUS Puskesmas Kranggan"} | values
    return services.external_figure_set(actor=user, scope=scope_for(user), now=NOW, **data)


def errors_of(call) -> dict:
    with pytest.raises(DomainError) as caught:
        call()
    return caught.value.field_errors


def test_pembina_sets_and_changes_a_target_with_audit(pembina_mojokerto):
    target = set_target(pembina_mojokerto)
    assert (target.region_id, target.indicator, target.year, target.percent) == ("3576", "kes.balita", 2026,
                                                                                  Decimal("95.00"))
    set_target(pembina_mojokerto, percent="97.5")
    assert Target.objects.get().percent == Decimal("97.50")
    entries = list(AuditEntry.objects.filter(action="spm.target.set").order_by("pk"))
    assert [e.changes["percent"] for e in entries] == [[None, "95.00"], ["95.00", "97.50"]]
    assert all(e.actor == pembina_mojokerto and e.region_code == "3576" for e in entries)


@pytest.mark.parametrize(("values", "field"), [
    ({"percent": "0"}, "percent"), ({"percent": "100.5"}, "percent"), ({"percent": "abc"}, "percent"),
    ({"percent": "95.555"}, "percent"), ({"percent": ""}, "percent"), ({"percent": True}, "percent"),
    ({"indicator": "kes.nope"}, "indicator"), ({"region": "3320"}, "region"), ({"region": "99"}, "region"),
    ({"region": ""}, "region"), ({"year": 2019}, "year"), ({"year": 2028}, "year"), ({"year": "dua"}, "year"),
])
def test_bad_target_values_are_field_errors_and_write_nothing(pembina_mojokerto, values, field):
    errors = errors_of(lambda: set_target(pembina_mojokerto, **values))
    assert field in errors and errors[field][0]
    assert not Target.objects.exists() and not AuditEntry.objects.filter(action__startswith="spm.").exists()


@pytest.mark.parametrize("persona", ["camat_kranggan", "lurah_miji", "kader_miji", "opd_dinsos",
                                     "bidan_kranggan", "admin_user"])
def test_only_tim_pembina_writes(request, persona):
    user = request.getfixturevalue(persona)
    for call in (lambda: set_target(user), lambda: set_sasaran(user), lambda: set_figure(user)):
        with pytest.raises(NotInScope):
            call()
    assert not (Target.objects.exists() or OfficialSasaran.objects.exists() or ExternalFigure.objects.exists())


def test_official_sasaran_is_set_and_validated(pembina_mojokerto):
    row = set_sasaran(pembina_mojokerto)
    assert (row.count, row.source) == (120, "Proyeksi Dinkes 2026")
    assert AuditEntry.objects.get(action="spm.official_sasaran.set").changes["count"] == [None, 120]
    for values, field in (({"count": -1}, "count"), ({"count": "12.5"}, "count"), ({"count": ""}, "count"),
                          ({"source": "x" * 161}, "source"), ({"region": "3320010001"}, "region")):
        assert field in errors_of(lambda values=values: set_sasaran(pembina_mojokerto, **values))
    assert OfficialSasaran.objects.get().count == 120


def test_external_figure_is_set_and_replaced(pembina_mojokerto):
    set_figure(pembina_mojokerto)
    set_figure(pembina_mojokerto, numerator=39, source=" SIMPUS   Kranggan ")
    row = ExternalFigure.objects.get()
    assert (row.denominator, row.numerator, row.source, row.entered_by) == (40, 39, "SIMPUS Kranggan",
                                                                            pembina_mojokerto)
    changes = AuditEntry.objects.filter(action="spm.external_figure.set").order_by("pk").last().changes
    assert changes["numerator"] == [38, 39]


@pytest.mark.parametrize(("values", "field"), [
    ({"numerator": 41}, "numerator"),  # more served than in the sasaran
    ({"denominator": -1}, "denominator"), ({"numerator": "lima"}, "numerator"),
    ({"month": 13}, "month"), ({"month": 0}, "month"),
    ({"month": 12}, "month"),  # December 2026 has not begun on 23 November 2026
    ({"year": 2027, "month": 1}, "year"), ({"source": "  "}, "source"),
    ({"indicator": "kes.balita"}, "indicator"),  # Simpul counts this one itself
    ({"region": "3320"}, "region"),
])
def test_bad_external_figures_are_field_errors_and_write_nothing(pembina_mojokerto, values, field):
    errors = errors_of(lambda: set_figure(pembina_mojokerto, **values))
    assert field in errors
    assert not ExternalFigure.objects.exists() and not AuditEntry.objects.exists()


def test_every_problem_is_reported_at_once(pembina_mojokerto):
    errors = errors_of(lambda: set_figure(pembina_mojokerto, numerator=50, source="", month=13))
    assert set(errors) == {"numerator", "source", "month"}


def test_clearing_removes_the_row_with_an_audit_entry(pembina_mojokerto, camat_kranggan):
    target = set_target(pembina_mojokerto)
    pk = target.pk
    with pytest.raises(NotInScope):
        services.target_clear(actor=camat_kranggan, scope=scope_for(camat_kranggan), target=target)
    assert Target.objects.exists()
    services.target_clear(actor=pembina_mojokerto, scope=scope_for(pembina_mojokerto), target=target)
    assert not Target.objects.exists()
    entry = AuditEntry.objects.get(action="spm.target.cleared")
    assert (entry.object_id, entry.changes["percent"]) == (str(pk), "95.00")
    figure = set_figure(pembina_mojokerto)
    services.external_figure_clear(actor=pembina_mojokerto, scope=scope_for(pembina_mojokerto), row=figure)
    sasaran = set_sasaran(pembina_mojokerto)
    services.official_sasaran_clear(actor=pembina_mojokerto, scope=scope_for(pembina_mojokerto), row=sasaran)
    assert not ExternalFigure.objects.exists() and not OfficialSasaran.objects.exists()


def test_a_row_of_another_kab_kota_cannot_be_cleared(pembina_mojokerto):
    jepara = Target.objects.create(region_id="3320", indicator="kes.balita", year=2026, percent=90)
    with pytest.raises(NotInScope):
        services.target_clear(actor=pembina_mojokerto, scope=scope_for(pembina_mojokerto), target=jepara)
    assert Target.objects.filter(pk=jepara.pk).exists()

"""/api/v1/reports: the report as JSON, submit (201, 200 on a replay, 409 twice), correct, summaries."""

import datetime as dt
import json
import uuid

import pytest

from conftest import KRANGGAN
from simpul.api.auth import token_issue
from simpul.audit.models import AccessLog
from simpul.reports.models import MonthlyReport
from simpul.reports.tests.kit import weigh

pytestmark = pytest.mark.django_db


def bearer(user):
    raw, _token = token_issue(user=user)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def url(posyandu, month="2026-10", action=""):
    return f"/api/v1/reports/posyandu/{posyandu.pk}/{month}{action}"


def post(client, user, address, body=None):
    return client.post(address, data=json.dumps(body or {}), content_type="application/json", **bearer(user))


def test_it_reads_the_live_draft_with_every_section(client, october, bidan_kranggan, posyandu_miji):
    response = client.get(url(posyandu_miji), **bearer(bidan_kranggan))
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["version"], body["month"], body["versions"]) == ("draft", None, "2026-10", [])
    skdn = next(s for s in body["sections"] if s["key"] == "skdn")
    rows = {r["key"]: r["values"] for r in skdn["rows"]}
    assert (rows["s"][-1], rows["k"][-1], rows["d"][-1], rows["n"][-1], rows["absent"][-1]) == (7, 6, 7, 3, 1)
    assert len(skdn["columns"]) == 13
    assert {r["key"]: r["values"][-1] for r in skdn["ratios"]} == {
        "k_s": 85.7, "d_s": 100.0, "n_d": 42.9, "d_k": 116.7, "n_s": 42.9}  # 6/7, 7/7, 3/7, 7/6, 3/7
    assert AccessLog.objects.filter(action="api_read", object_type="reports.posyandu_report").count() == 1


def test_submit_replay_conflict_and_correct(client, october, kader_miji, posyandu_miji):
    key = str(uuid.uuid4())
    first = post(client, kader_miji, url(posyandu_miji, action="/submit"), {"client_uuid": key})
    assert first.status_code == 201, first.content
    assert (first.json()["status"], first.json()["version"]) == ("submitted", 1)
    assert post(client, kader_miji, url(posyandu_miji, action="/submit"), {"client_uuid": key}).status_code == 200
    twice = post(client, kader_miji, url(posyandu_miji, action="/submit"))
    assert twice.status_code == 409 and twice.json()["code"] == "conflict"

    assert post(client, kader_miji, url(posyandu_miji, action="/correct"), {"reason": "x"}).status_code == 409
    weigh(kader_miji, october["Eka"], dt.date(2026, 10, 25), "15.4")
    assert client.get(url(posyandu_miji), **bearer(kader_miji)).json()["changed_since_submission"] is True
    missing = post(client, kader_miji, url(posyandu_miji, action="/correct"))
    assert missing.status_code == 422 and "reason" in missing.json()["errors"]
    blank = post(client, kader_miji, url(posyandu_miji, action="/correct"), {"reason": "  "})
    assert blank.status_code == 422 and list(blank.json()["errors"]) == ["reason"]
    done = post(client, kader_miji, url(posyandu_miji, action="/correct"), {"reason": "Eka ditimbang di rumah"})
    assert done.status_code == 201
    assert (done.json()["version"], done.json()["reason"], [v["status"] for v in done.json()["versions"]]) == (
        2, "Eka ditimbang di rumah", ["superseded", "submitted"])
    old = client.get(url(posyandu_miji) + "?version=1", **bearer(kader_miji)).json()
    assert old["status"] == "superseded"
    assert client.get(url(posyandu_miji) + "?version=5", **bearer(kader_miji)).status_code == 404
    live = client.get(url(posyandu_miji) + "?live=true", **bearer(kader_miji)).json()
    assert live["status"] == "draft"
    assert MonthlyReport.objects.count() == 2


def test_who_may_write(client, october, lurah_miji, kader_meri, opd_dinsos, posyandu_miji):
    assert post(client, lurah_miji, url(posyandu_miji, action="/submit")).status_code == 403
    for outsider in (kader_meri, opd_dinsos):
        assert post(client, outsider, url(posyandu_miji, action="/submit")).status_code == 404
        assert client.get(url(posyandu_miji), **bearer(outsider)).status_code == 404
    assert MonthlyReport.objects.count() == 0


def test_bad_input_is_a_field_error(client, kader_miji, posyandu_miji):
    for month in ("2026-13", "oktober", "2026-1"):
        response = client.get(url(posyandu_miji, month=month), **bearer(kader_miji))
        assert response.status_code == 422 and list(response.json()["errors"]) == ["month"], month
    future = post(client, kader_miji, url(posyandu_miji, month="2027-01", action="/submit"))
    assert future.status_code == 422 and list(future.json()["errors"]) == ["month"]
    extra = post(client, kader_miji, url(posyandu_miji, action="/submit"), {"versi": 1})
    assert extra.status_code == 422
    bad_uuid = post(client, kader_miji, url(posyandu_miji, action="/submit"), {"client_uuid": "abc"})
    assert bad_uuid.status_code == 422 and "client_uuid" in bad_uuid.json()["errors"]
    assert MonthlyReport.objects.count() == 0


def test_region_summary(client, october, camat_kranggan, kader_miji):
    response = client.get(f"/api/v1/reports/regions/{KRANGGAN}/2026-10", **bearer(camat_kranggan))
    assert response.status_code == 200
    body = response.json()
    assert (body["posyandu_total"], body["posyandu_reported"]) == (2, 0)
    skdn = next(s for s in body["sections"] if s["key"] == "skdn")
    assert {r["key"]: r["values"][-1] for r in skdn["rows"]}["s"] == 8
    by_desa = {b["name"]: (b["posyandu_total"], b["values"][0]) for b in body["breakdown"]}
    assert by_desa["Miji"] == (1, 7) and by_desa["Meri"] == (1, 1)
    assert client.get(f"/api/v1/reports/regions/{KRANGGAN}/2026-10", **bearer(kader_miji)).status_code == 404

"""/api/v1/pregnancies: pregnancies with their antenatal (ANC) and nifas visits.

Writes need the kesehatan field with the right to record health at the woman's place; reads the
kesehatan field with health access. Anything else is answered exactly like a missing record (404).
Every write takes a ``client_uuid``: sending it again returns the stored record (200) instead of a
duplicate. Errors are 422 with per-field messages in Bahasa (409 when the state forbids the change).
Reads are logged in the access log.
"""

import datetime as dt
import uuid
from typing import Literal

from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import ConfigDict

from simpul.accounts.context_processors import request_scope
from simpul.api.pagination import Page
from simpul.api.types import Day, Id, resolved
from simpul.audit.services import access_record
from simpul.maternal import rules, selectors
from simpul.maternal.models import AncVisit, NifasVisit, Pregnancy
from simpul.maternal.services import (
    AncVisitInput,
    NifasVisitInput,
    PregnancyInput,
    anc_visit_correct,
    anc_visit_record,
    nifas_visit_record,
    pregnancy_close,
    pregnancy_register,
)

router = Router(tags=["pregnancies"])

ExaminerCode = Literal["kader", "bidan", "doctor"]


class _In(Schema):
    model_config = ConfigDict(extra="forbid")  # a misspelt field must not silently become "not measured"


class PregnancyIn(_In):
    client_uuid: uuid.UUID | None = Field(None, description="made by the client; sending it again returns the "
                                          "stored record (200) instead of a duplicate")
    person_id: Id
    registered_on: Day | None = Field(None, description="first contact; default today")
    hpht: Day | None = Field(None, description="first day of the last menstrual period")
    estimated_weeks: int | None = Field(None, description="when HPHT is unknown: weeks of pregnancy on "
                                        "registered_on; HPHT is then estimated")
    gravida: int
    para: int = 0
    abortus: int = 0


class CloseIn(_In):
    status: Literal["delivered", "ended"]
    on: Day
    note: str = Field("", max_length=255)


class AncVisitIn(_In):
    client_uuid: uuid.UUID | None = None
    visited_on: Day
    examiner: ExaminerCode = Field(description="only bidan and doctor visits count toward the ANC standard")
    weight_kg: float | None = None
    muac_cm: float | None = Field(None, description="LiLA; KEK when below 23.5")
    systolic: int | None = None
    diastolic: int | None = None
    iron_tablets: int = 0
    pmt_given: bool = False
    tb_symptoms: bool = False
    referred: bool = False
    danger_signs: list[str] = Field(default_factory=list, description=", ".join(AncVisit.DangerSign.values))
    notes: str = Field("", max_length=2000)

    def to_input(self) -> AncVisitInput:
        return AncVisitInput(**self.dict(exclude={"reason"}))


class AncCorrectIn(AncVisitIn):
    reason: str = Field(max_length=255)


class NifasVisitIn(_In):
    client_uuid: uuid.UUID | None = None
    visited_on: Day
    examiner: ExaminerCode
    systolic: int | None = None
    diastolic: int | None = None
    vitamin_a: bool = False
    kb_method: str = Field("none", description=", ".join(NifasVisit.KbMethod.values))
    danger_signs: list[str] = Field(default_factory=list, description=", ".join(NifasVisit.DangerSign.values))
    notes: str = Field("", max_length=2000)


class AncVisitOut(Schema):
    id: int
    client_uuid: str
    pregnancy_id: int
    visited_on: dt.date
    gestational_days: int
    gestational_weeks: int
    trimester: int
    examiner: str
    weight_kg: float | None
    muac_cm: float | None
    systolic: int | None
    diastolic: int | None
    iron_tablets: int
    pmt_given: bool
    tb_symptoms: bool
    referred: bool
    danger_signs: list[str]
    notes: str
    kek: bool = Field(description="LiLA below 23.5 cm")
    hypertension: bool = Field(description="systolic 140 or more, or diastolic 90 or more")
    recorded_by: str | None
    created_at: dt.datetime
    superseded_by_id: int | None
    correction_reason: str


class NifasVisitOut(Schema):
    id: int
    client_uuid: str
    pregnancy_id: int
    visited_on: dt.date
    days_after_delivery: int
    examiner: str
    systolic: int | None
    diastolic: int | None
    hypertension: bool
    vitamin_a: bool
    kb_method: str
    danger_signs: list[str]
    notes: str
    recorded_by: str | None
    created_at: dt.datetime


class RequirementOut(Schema):
    code: str
    trimester: int
    doctor: bool
    needed: int
    done: int
    state: str = Field(description="met, open (still possible) or missed")


class AncProgressOut(Schema):
    on: dt.date
    trimester_now: int | None
    contacts: dict[str, int] = Field(description="health-worker contacts (distinct days) by trimester")
    doctor_contacts: dict[str, int]
    kader_contacts: int = Field(description="days with only a kader's check: shown, not counted")
    total_contacts: int
    met: bool
    missing: list[str] = Field(description="codes of the requirements not met yet")
    requirements: list[RequirementOut]


class PregnancyOut(Schema):
    id: int
    client_uuid: str
    person_id: int
    posyandu_id: int
    desa_code: str
    registered_on: dt.date
    hpht: dt.date
    hpht_source: str
    estimated_weeks: int | None
    hpl: dt.date = Field(description="Naegele: HPHT + 280 days")
    gestational_days_today: int | None
    gravida: int
    para: int
    abortus: int
    status: str
    delivered_on: dt.date | None
    ended_on: dt.date | None
    outcome_note: str
    recorded_by: str | None
    created_at: dt.datetime


class PregnancyDetailOut(PregnancyOut):
    anc_progress: AncProgressOut
    anc_visits: list[AncVisitOut]
    nifas_visits: list[NifasVisitOut]


class PregnantWomanOut(Schema):
    pregnancy_id: int
    person_id: int
    full_name: str
    rt: str
    rw: str
    hpl: dt.date
    gestational_days: int
    gestational_weeks: int
    trimester: int
    anc_contacts: int
    anc_standard_met: bool
    kek: bool
    hypertension: bool


class PregnantWomenOut(Schema):
    posyandu_id: int
    on: dt.date
    pregnant: list[PregnantWomanOut]
    nifas: list[PregnancyOut]


class _Mapped:
    """A queryset the paginator slices first; only the rows of the page are turned into dicts."""

    def __init__(self, qs, to_dict):
        self.qs, self.to_dict = qs, to_dict

    def __len__(self) -> int:
        return self.qs.count()

    def __getitem__(self, index: slice) -> list[dict]:
        return [self.to_dict(row) for row in self.qs[index]]


def _user(user) -> str | None:
    return user.username if user is not None else None


def _pregnancy_out(p: Pregnancy, *, today: dt.date | None = None) -> dict:
    today = today or timezone.localdate()
    age = p.gestational_age(today) if p.status == Pregnancy.Status.ONGOING else None
    return {
        "id": p.pk, "client_uuid": str(p.client_uuid), "person_id": p.person_id, "posyandu_id": p.posyandu_id,
        "desa_code": p.desa_id, "registered_on": p.registered_on, "hpht": p.hpht, "hpht_source": p.hpht_source,
        "estimated_weeks": p.estimated_weeks, "hpl": p.hpl, "gestational_days_today": age.days if age else None,
        "gravida": p.gravida, "para": p.para, "abortus": p.abortus, "status": p.status,
        "delivered_on": p.delivered_on, "ended_on": p.ended_on, "outcome_note": p.outcome_note,
        "recorded_by": _user(p.recorded_by), "created_at": p.created_at,
    }


def _anc_out(v: AncVisit) -> dict:
    return {
        "id": v.pk, "client_uuid": str(v.client_uuid), "pregnancy_id": v.pregnancy_id, "visited_on": v.visited_on,
        "gestational_days": v.gestational_days, "gestational_weeks": v.gestational_days // 7,
        "trimester": v.trimester, "examiner": v.examiner,
        "weight_kg": None if v.weight_kg is None else float(v.weight_kg),
        "muac_cm": None if v.muac_cm is None else float(v.muac_cm), "systolic": v.systolic,
        "diastolic": v.diastolic, "iron_tablets": v.iron_tablets, "pmt_given": v.pmt_given,
        "tb_symptoms": v.tb_symptoms, "referred": v.referred, "danger_signs": v.danger_signs, "notes": v.notes,
        "kek": v.is_kek, "hypertension": v.is_hypertensive, "recorded_by": _user(v.recorded_by),
        "created_at": v.created_at, "superseded_by_id": v.superseded_by_id, "correction_reason": v.correction_reason,
    }


def _nifas_out(v: NifasVisit) -> dict:
    return {
        "id": v.pk, "client_uuid": str(v.client_uuid), "pregnancy_id": v.pregnancy_id, "visited_on": v.visited_on,
        "days_after_delivery": v.days_after_delivery, "examiner": v.examiner, "systolic": v.systolic,
        "diastolic": v.diastolic, "hypertension": v.is_hypertensive, "vitamin_a": v.vitamin_a,
        "kb_method": v.kb_method, "danger_signs": v.danger_signs, "notes": v.notes,
        "recorded_by": _user(v.recorded_by), "created_at": v.created_at,
    }


def _progress_out(progress: rules.AncProgress) -> dict:
    return {
        "on": progress.on, "trimester_now": progress.trimester_now,
        "contacts": {f"tm{t}": n for t, n in progress.contacts.items()},
        "doctor_contacts": {f"tm{t}": n for t, n in progress.doctor_contacts.items()},
        "kader_contacts": progress.kader_contacts, "total_contacts": progress.total_contacts, "met": progress.met,
        "missing": [r.code for r in progress.missing],
        "requirements": [{"code": r.code, "trimester": r.trimester, "doctor": r.doctor, "needed": r.needed,
                          "done": r.done, "state": r.state} for r in progress.requirements],
    }


def _detail(p: Pregnancy) -> dict:
    today = timezone.localdate()
    visits = list(selectors.anc_visits_for(p))
    return {**_pregnancy_out(p, today=today),
            "anc_progress": _progress_out(selectors.anc_progress(p, on=today, visits=visits)),
            "anc_visits": [_anc_out(v) for v in visits],
            "nifas_visits": [_nifas_out(v) for v in selectors.nifas_visits_for(p)]}


@router.get("", response=list[PregnancyOut])
@paginate(Page)
@resolved
def pregnancy_list(request, person_id: Id | None = None, posyandu_id: Id | None = None,
                   status: Literal["ongoing", "delivered", "ended"] | None = None):
    """Pregnancies in the caller's health scope, newest HPHT first; filter by person, posyandu or status."""
    scope = request_scope(request)
    qs = selectors.pregnancies_visible(scope, person_id=person_id, posyandu_id=posyandu_id)
    if status:
        qs = qs.filter(status=status)
    access_record(actor=request.user, action="api_list", object_type="maternal.pregnancy",
                  object_id=str(person_id or ""), detail=f"posyandu={posyandu_id or ''}", request=request)
    today = timezone.localdate()
    return _Mapped(qs.order_by("-hpht", "-id"), lambda p: _pregnancy_out(p, today=today))


@router.get("/pregnant-women", response=PregnantWomenOut)
def pregnancy_pregnant_women(request, posyandu_id: Id, on: Day | None = None):
    """The posyandu's pregnant women and nifas mothers on ``on`` (default today): the attendance list."""
    scope = request_scope(request)
    on = on or timezone.localdate()
    women = selectors.pregnant_women(scope, posyandu_id=posyandu_id, on=on)
    nifas = selectors.nifas_women(scope, posyandu_id=posyandu_id, on=on)
    access_record(actor=request.user, action="api_list", object_type="maternal.pregnant_women",
                  object_id=posyandu_id, detail=f"on={on.isoformat()} women={len(women)}", request=request)
    return {"posyandu_id": posyandu_id, "on": on, "pregnant": [
        {"pregnancy_id": w.pregnancy.pk, "person_id": w.person.pk, "full_name": w.person.full_name,
         "rt": w.person.household.rt if w.person.household else "",
         "rw": w.person.household.rw if w.person.household else "", "hpl": w.pregnancy.hpl,
         "gestational_days": w.age.days, "gestational_weeks": w.age.weeks, "trimester": w.age.trimester,
         "anc_contacts": w.progress.total_contacts, "anc_standard_met": w.progress.met, "kek": w.kek,
         "hypertension": w.hypertension} for w in women],
        "nifas": [_pregnancy_out(p, today=on) for p in nifas]}


@router.get("/{int:pregnancy_id}", response=PregnancyDetailOut)
def pregnancy_detail(request, pregnancy_id: Id):
    """One pregnancy with its visits and the progress toward the ANC standard today."""
    scope = request_scope(request)
    p = selectors.pregnancy_get(scope, pregnancy_id)
    access_record(actor=request.user, action="api_read", object_type="maternal.pregnancy", object_id=p.pk,
                  region_code=p.desa_id, request=request)
    return _detail(p)


@router.post("", response={201: PregnancyOut, 200: PregnancyOut})
def pregnancy_create(request, payload: PregnancyIn):
    """Record a pregnancy; HPL is computed from HPHT (Naegele, + 280 days)."""
    scope = request_scope(request)
    existed = selectors.pregnancy_by_client_uuid(scope, payload.client_uuid) is not None
    person = selectors.person_for_health(scope, payload.person_id)
    data = payload.dict(exclude={"person_id"})
    data["registered_on"] = data["registered_on"] or timezone.localdate()
    p = pregnancy_register(actor=request.user, scope=scope, person=person, data=PregnancyInput(**data))
    return Status(200 if existed else 201, _pregnancy_out(selectors.pregnancy_get(scope, p.pk)))


@router.post("/{int:pregnancy_id}/close", response=PregnancyOut)
def pregnancy_close_api(request, pregnancy_id: Id, payload: CloseIn):
    """Record the delivery (from 20 weeks) or the end of the pregnancy; the same close sent again is a no-op."""
    scope = request_scope(request)
    p = pregnancy_close(actor=request.user, scope=scope, pregnancy=selectors.pregnancy_get(scope, pregnancy_id),
                        status=payload.status, on=payload.on, note=payload.note)
    return _pregnancy_out(selectors.pregnancy_get(scope, p.pk))


@router.post("/{int:pregnancy_id}/anc-visits", response={201: AncVisitOut, 200: AncVisitOut})
def pregnancy_anc_visit_create(request, pregnancy_id: Id, payload: AncVisitIn):
    """Record an antenatal visit; gestational age and trimester are computed from HPHT."""
    scope = request_scope(request)
    pregnancy = selectors.pregnancy_get(scope, pregnancy_id)
    existed = selectors.anc_visit_by_client_uuid(scope, payload.client_uuid) is not None
    visit = anc_visit_record(actor=request.user, scope=scope, pregnancy=pregnancy, data=payload.to_input())
    return Status(200 if existed else 201, _anc_out(selectors.anc_visit_get(scope, visit.pk)))


@router.post("/anc-visits/{int:visit_id}/correct", response={201: AncVisitOut, 200: AncVisitOut})
def pregnancy_anc_visit_correct(request, visit_id: Id, payload: AncCorrectIn):
    """Replace a wrong antenatal visit: a new record supersedes it, with the reason; the old one stays."""
    scope = request_scope(request)
    old = selectors.anc_visit_get(scope, visit_id)
    existed = selectors.anc_visit_by_client_uuid(scope, payload.client_uuid) is not None
    new = anc_visit_correct(actor=request.user, scope=scope, visit=old, data=payload.to_input(),
                            reason=payload.reason)
    return Status(200 if existed else 201, _anc_out(selectors.anc_visit_get(scope, new.pk)))


@router.post("/{int:pregnancy_id}/nifas-visits", response={201: NifasVisitOut, 200: NifasVisitOut})
def pregnancy_nifas_visit_create(request, pregnancy_id: Id, payload: NifasVisitIn):
    """Record a visit 0-42 days after the birth (blood pressure, vitamin A, post-partum KB, danger signs)."""
    scope = request_scope(request)
    pregnancy = selectors.pregnancy_get(scope, pregnancy_id)
    existed = selectors.nifas_visit_by_client_uuid(scope, payload.client_uuid) is not None
    visit = nifas_visit_record(actor=request.user, scope=scope, pregnancy=pregnancy,
                               data=NifasVisitInput(**payload.dict()))
    return Status(200 if existed else 201, _nifas_out(visit))

"""Forms of the KIA pages. They only parse; the limits are the services' (one place for every rule)."""

from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from simpul.maternal.models import AncVisit, NifasVisit, Pregnancy
from simpul.maternal.rules import Examiner
from simpul.maternal.services import AncVisitInput, NifasVisitInput, PregnancyInput

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _number(label, *, step="0.1", help_text=""):
    return forms.DecimalField(label=label, required=False, help_text=help_text, max_digits=8, decimal_places=3,
                              widget=forms.NumberInput(attrs={"step": step, "inputmode": "decimal", "min": "0"}))


def _whole(label, *, required=False, help_text=""):
    return forms.IntegerField(label=label, required=required, help_text=help_text,
                              widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": "0"}))


class _Idempotent(forms.Form):
    # Made when the form is shown: a double tap on "Save" stores the record once.
    client_uuid = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("client_uuid", uuid.uuid4())
        super().__init__(*args, **kwargs)


class PregnancyForm(_Idempotent):
    registered_on = forms.DateField(label=_("Date recorded"), widget=DATE_WIDGET)
    hpht = forms.DateField(label=_("First day of the last period (HPHT)"), required=False, widget=DATE_WIDGET)
    estimated_weeks = _whole(_("Or: estimated weeks of pregnancy today"),
                             help_text=_("Only if she does not know her HPHT; HPHT is then estimated from it."))
    gravida = _whole(_("Gravida (G): pregnancies including this one"), required=True)
    para = _whole(_("Para (P): earlier births"), required=True)
    abortus = _whole(_("Abortus (A): earlier pregnancies lost before 20 weeks"), required=True)

    def to_input(self) -> PregnancyInput:
        d = self.cleaned_data
        return PregnancyInput(registered_on=d["registered_on"], hpht=d["hpht"], estimated_weeks=d["estimated_weeks"],
                              gravida=d["gravida"], para=d["para"], abortus=d["abortus"],
                              client_uuid=d.get("client_uuid"))


class AncVisitForm(_Idempotent):
    visited_on = forms.DateField(label=_("Date of the visit"), widget=DATE_WIDGET)
    examiner = forms.ChoiceField(label=_("Examined by"), choices=Examiner.choices, widget=forms.RadioSelect,
                                 help_text=_("Only visits with a midwife or doctor count toward the six visits."))
    weight_kg = _number(_("Weight (kg)"), step="0.1")
    muac_cm = _number(_("Upper arm circumference, LiLA (cm)"), help_text=_("Below 23.5 cm: KEK."))
    systolic = _whole(_("Blood pressure: systolic (mmHg)"))
    diastolic = _whole(_("Blood pressure: diastolic (mmHg)"), help_text=_("140/90 or more: high blood pressure."))
    iron_tablets = _whole(_("Iron tablets (TTD) given"))
    pmt_given = forms.BooleanField(label=_("Supplementary food (PMT) given"), required=False)
    tb_symptoms = forms.BooleanField(label=_("Cough for two weeks or more (TB symptom)"), required=False)
    referred = forms.BooleanField(label=_("Referred to the health worker"), required=False)
    danger_signs = forms.MultipleChoiceField(label=_("Danger signs"), required=False,
                                             choices=AncVisit.DangerSign.choices, widget=forms.CheckboxSelectMultiple)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def to_input(self) -> AncVisitInput:
        d = self.cleaned_data
        return AncVisitInput(
            visited_on=d["visited_on"], examiner=d["examiner"], weight_kg=d["weight_kg"], muac_cm=d["muac_cm"],
            systolic=d["systolic"], diastolic=d["diastolic"], iron_tablets=d["iron_tablets"] or 0,
            pmt_given=d["pmt_given"], tb_symptoms=d["tb_symptoms"], referred=d["referred"],
            danger_signs=d["danger_signs"], notes=d["notes"], client_uuid=d.get("client_uuid"),
        )


class AncCorrectionForm(AncVisitForm):
    reason = forms.CharField(label=_("Why is it corrected?"), max_length=255)


class CloseForm(forms.Form):
    status = forms.ChoiceField(label=_("How did the pregnancy end?"), widget=forms.RadioSelect, choices=[
        (Pregnancy.Status.DELIVERED, _("Delivered (birth from 20 weeks)")),
        (Pregnancy.Status.ENDED, _("Ended without delivery (miscarriage before 20 weeks, or other)")),
    ])
    on = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    outcome_note = forms.CharField(label=_("Note"), required=False, max_length=255,
                                   help_text=_("For example where she gave birth, or what happened."))


class NifasVisitForm(_Idempotent):
    visited_on = forms.DateField(label=_("Date of the visit"), widget=DATE_WIDGET)
    examiner = forms.ChoiceField(label=_("Examined by"), choices=Examiner.choices, widget=forms.RadioSelect)
    systolic = _whole(_("Blood pressure: systolic (mmHg)"))
    diastolic = _whole(_("Blood pressure: diastolic (mmHg)"))
    vitamin_a = forms.BooleanField(label=_("Vitamin A given"), required=False)
    kb_method = forms.ChoiceField(label=_("Family planning (KB) after birth"), choices=NifasVisit.KbMethod.choices)
    danger_signs = forms.MultipleChoiceField(label=_("Danger signs"), required=False,
                                             choices=NifasVisit.DangerSign.choices, widget=forms.CheckboxSelectMultiple)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def to_input(self) -> NifasVisitInput:
        d = self.cleaned_data
        return NifasVisitInput(
            visited_on=d["visited_on"], examiner=d["examiner"], systolic=d["systolic"], diastolic=d["diastolic"],
            vitamin_a=d["vitamin_a"], kb_method=d["kb_method"], danger_signs=d["danger_signs"], notes=d["notes"],
            client_uuid=d.get("client_uuid"),
        )

"""The screening form shows only the fields that fit the person's life stage (``rules.fields_for``).

Limits are the service's; the form only parses. The Barthel items are lists with the wording of each
score, so the kader picks a description, not a number.
"""

from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from simpul.screening import rules
from simpul.screening.rules import Smoking
from simpul.screening.services import ScreeningInput

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

# Barthel index (Collin & Wade 1988, 0–20 scoring): label and the wording of each score.
BARTHEL_CHOICES: dict[str, tuple[str, list[tuple[int, str]]]] = {
    "adl_feeding": (_("Feeding"), [
        (0, _("Unable")), (1, _("Needs help cutting, spreading, etc.")), (2, _("Independent"))]),
    "adl_bathing": (_("Bathing"), [(0, _("Dependent")), (1, _("Independent"))]),
    "adl_grooming": (_("Grooming (face, hair, teeth, shaving)"), [
        (0, _("Needs help with personal care")), (1, _("Independent"))]),
    "adl_dressing": (_("Dressing"), [
        (0, _("Dependent")), (1, _("Needs help, does about half alone")),
        (2, _("Independent, including buttons and zips"))]),
    "adl_bowels": (_("Bowels"), [
        (0, _("Incontinent")), (1, _("Occasional accident (at most once a week)")), (2, _("Continent"))]),
    "adl_bladder": (_("Bladder"), [
        (0, _("Incontinent, or catheter not managed alone")), (1, _("Occasional accident (at most once a day)")),
        (2, _("Continent"))]),
    "adl_toilet": (_("Toilet use"), [
        (0, _("Dependent")), (1, _("Needs some help, does some things alone")), (2, _("Independent"))]),
    "adl_transfer": (_("Transfer (bed to chair and back)"), [
        (0, _("Unable, no sitting balance")), (1, _("Major help (one or two people), can sit")),
        (2, _("Minor help (words or a little physical help)")), (3, _("Independent"))]),
    "adl_mobility": (_("Walking on level ground"), [
        (0, _("Cannot walk, or less than 50 m")), (1, _("Independent in a wheelchair, more than 50 m")),
        (2, _("Walks with help of one person, more than 50 m")), (3, _("Independent (a stick is allowed)"))]),
    "adl_stairs": (_("Stairs"), [(0, _("Unable")), (1, _("Needs help")), (2, _("Independent"))]),
}
assert tuple(BARTHEL_CHOICES) == rules.BARTHEL_FIELDS


def _decimal(label, step="0.1", help_text=""):
    return forms.DecimalField(label=label, required=False, max_digits=8, decimal_places=3, help_text=help_text,
                              widget=forms.NumberInput(attrs={"step": step, "inputmode": "decimal", "min": "0"}))


def _whole(label, help_text=""):
    return forms.IntegerField(label=label, required=False, help_text=help_text,
                              widget=forms.NumberInput(attrs={"step": "1", "inputmode": "numeric", "min": "0"}))


class ScreeningForm(forms.Form):
    screened_on = forms.DateField(label=_("Date screened"), widget=DATE_WIDGET)
    weight_kg = _decimal(_("Weight (kg)"))
    height_cm = _decimal(_("Height (cm)"))
    waist_cm = _decimal(_("Waist circumference (cm)"), help_text=_("At the navel, after breathing out."))
    systolic = _whole(_("Blood pressure: systolic (mmHg)"), help_text=_("The upper number, e.g. 120."))
    diastolic = _whole(_("Blood pressure: diastolic (mmHg)"), help_text=_("The lower number, e.g. 80."))
    glucose_mg_dl = _whole(_("Random blood glucose (mg/dL)"))
    haemoglobin_g_dl = _decimal(_("Haemoglobin, Hb (g/dL)"))
    pregnant = forms.BooleanField(label=_("Pregnant now"), required=False,
                                  help_text=_("Changes the anaemia cut-off; no BMI category in pregnancy."))
    smoking = forms.ChoiceField(label=_("Smoking"), required=False, choices=Smoking.choices,
                                initial=Smoking.UNKNOWN)
    # Made when the form is shown: a double tap on "Save" stores the screening once.
    client_uuid = forms.UUIDField(required=False, widget=forms.HiddenInput)
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, stage: str | None, sex: str, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("client_uuid", uuid.uuid4())
        super().__init__(*args, **kwargs)
        for name, (label, choices) in BARTHEL_CHOICES.items():
            self.fields[name] = forms.TypedChoiceField(
                label=label, required=False, coerce=int, empty_value=None,
                choices=[("", "—"), *((score, f"{score}: {text}") for score, text in choices)])
        shown = set(rules.fields_for(stage, sex))
        for name in list(self.fields):
            if name in rules.STAGE_DEPENDENT and name not in shown:
                del self.fields[name]

    @property
    def barthel_fields(self):
        return [self[name] for name in rules.BARTHEL_FIELDS if name in self.fields]

    @property
    def main_fields(self):
        return [f for f in self.visible_fields() if f.name not in rules.BARTHEL_FIELDS]

    def to_input(self) -> ScreeningInput:
        d = self.cleaned_data
        return ScreeningInput(
            screened_on=d["screened_on"],
            **{name: d.get(name) for name in ("weight_kg", "height_cm", "waist_cm", "systolic", "diastolic",
                                              "glucose_mg_dl", "haemoglobin_g_dl")},
            smoking=d.get("smoking") or Smoking.UNKNOWN,
            pregnant=bool(d.get("pregnant")),
            adl={name: d.get(name) for name in rules.BARTHEL_FIELDS if d.get(name) is not None},
            client_uuid=d.get("client_uuid"),
        )


class CorrectionForm(ScreeningForm):
    reason = forms.CharField(label=_("Why is it corrected?"), max_length=255)

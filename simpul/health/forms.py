from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from simpul.health.models import Position
from simpul.health.services import MeasurementInput

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _number(label, help_text="", step="0.1"):
    # Limits are the service's (they depend on age); the form only parses the number.
    return forms.DecimalField(label=label, required=False, help_text=help_text, max_digits=8, decimal_places=3,
                              widget=forms.NumberInput(attrs={"step": step, "inputmode": "decimal", "min": "0"}))


class MeasurementForm(forms.Form):
    measured_on = forms.DateField(label=_("Date measured"), widget=DATE_WIDGET)
    weight_kg = _number(_("Weight (kg)"), step="0.01")
    length_height_cm = _number(_("Length or height (cm)"))
    position = forms.ChoiceField(label=_("Measured"), required=False, choices=[("", "—"), *Position.choices],
                                 help_text=_("Lying down under 2 years, standing from 2 years."))
    head_circumference_cm = _number(_("Head circumference (cm)"))
    muac_cm = _number(_("Upper arm circumference, LiLA (cm)"))
    oedema = forms.BooleanField(label=_("Oedema on both feet"), required=False)
    # Made when the form is shown: a double tap on "Save" stores the measurement once.
    client_uuid = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("client_uuid", uuid.uuid4())
        super().__init__(*args, **kwargs)

    def to_input(self) -> MeasurementInput:
        d = self.cleaned_data
        return MeasurementInput(
            measured_on=d["measured_on"], weight_kg=d["weight_kg"], length_height_cm=d["length_height_cm"],
            position=d["position"], head_circumference_cm=d["head_circumference_cm"], muac_cm=d["muac_cm"],
            oedema=d["oedema"], client_uuid=d.get("client_uuid"),
        )


class CorrectionForm(MeasurementForm):
    reason = forms.CharField(label=_("Why is it corrected?"), max_length=255)


class CalculatorForm(forms.Form):
    """The bidan's growth calculator: one measurement of any child, nothing stored."""

    sex = forms.ChoiceField(label=_("Sex"), choices=[("M", _("Male")), ("F", _("Female"))])
    birth_date = forms.DateField(label=_("Date of birth"), widget=DATE_WIDGET)
    measured_on = forms.DateField(label=_("Date measured"), widget=DATE_WIDGET)
    weight_kg = _number(_("Weight (kg)"), step="0.01")
    length_height_cm = _number(_("Length or height (cm)"))
    position = forms.ChoiceField(label=_("Measured"), required=False, choices=[("", "—"), *Position.choices])
    head_circumference_cm = _number(_("Head circumference (cm)"))
    muac_cm = _number(_("Upper arm circumference, LiLA (cm)"))
    oedema = forms.BooleanField(label=_("Oedema on both feet"), required=False)

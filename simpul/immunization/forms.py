from django import forms
from django.utils.translation import gettext_lazy as _

from simpul.immunization import schedule
from simpul.immunization.models import ImmunizationRecord
from simpul.immunization.services import ImmunizationInput

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RecordForm(forms.Form):
    dose = forms.ChoiceField(label=_("Dose"), choices=[("", "—"), *schedule.CHOICES])
    given_on = forms.DateField(label=_("Date given"), widget=DATE_WIDGET)
    vaccine = forms.CharField(label=_("Vaccine (name or brand)"), max_length=120, required=False)
    batch_number = forms.CharField(label=_("Batch number"), max_length=40, required=False)
    given_by = forms.CharField(label=_("Given by (name of the bidan or nurse)"), max_length=120, required=False)
    place = forms.ChoiceField(label=_("Place"), choices=ImmunizationRecord.Place.choices,
                              initial=ImmunizationRecord.Place.POSYANDU)
    place_note = forms.CharField(label=_("Place name, if elsewhere"), max_length=120, required=False)
    client_uuid = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def to_input(self) -> ImmunizationInput:
        return ImmunizationInput(**self.cleaned_data)


class KipiForm(forms.Form):
    noted_on = forms.DateField(label=_("Date the reaction was noticed"), widget=DATE_WIDGET)
    notes = forms.CharField(label=_("What happened (KIPI)"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    follow_up = forms.CharField(label=_("Follow-up"), max_length=2000, required=False,
                                widget=forms.Textarea(attrs={"rows": 2}))

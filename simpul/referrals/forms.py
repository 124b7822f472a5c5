"""Forms of the referral pages. Rules live in the services; forms only shape the input."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from simpul.referrals.states import Action
from simpul.referrals.taxonomy import DocType
from simpul.registry.models import HouseholdCondition


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files under one name (Django's documented pattern for multiple uploads)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,application/pdf"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class NeedForm(forms.Form):
    description = forms.CharField(label=_("What is needed"), widget=forms.Textarea(attrs={"rows": 4}),
                                  help_text=_("What you saw and what the family needs. At least 10 characters."))
    rt = forms.CharField(label=_("RT"), required=False, max_length=3)
    rw = forms.CharField(label=_("RW"), required=False, max_length=3)
    latitude = forms.CharField(label=_("Latitude"), required=False, max_length=20)
    longitude = forms.CharField(label=_("Longitude"), required=False, max_length=20)
    citizen_name = forms.CharField(label=_("Name of the citizen who reported it"), required=False, max_length=120,
                                   help_text=_("Only when a citizen brought this need to you."))
    citizen_phone = forms.CharField(label=_("Citizen's phone number"), required=False, max_length=20)
    confidential = forms.BooleanField(label=_("Confidential: hide who reported it"), required=False)
    posyandu = forms.TypedChoiceField(label=_("Posyandu area"), coerce=int, required=False)

    def __init__(self, *args, category=None, posyandu_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.category = category
        if category is not None and category.confidential:
            del self.fields["confidential"]  # always confidential: nothing to choose
        if posyandu_choices:
            self.fields["posyandu"].choices = list(posyandu_choices)
        else:
            del self.fields["posyandu"]
        self.document_slots = []
        for item in (category.required_documents if category else []):
            name = f"doc_{item['type']}"
            count = int(item.get("count", 1))
            label = DocType(item["type"]).label if item["type"] in DocType.values else item["type"]
            self.fields[name] = MultipleFileField(
                label=label, help_text=_("%(n)s file(s) needed.") % {"n": count} if count > 1 else "")
            self.document_slots.append(name)
        self.fields["doc_photo"] = MultipleFileField(label=_("Other photos"))
        self.fields["doc_other"] = MultipleFileField(label=_("Other documents"))


class AttachForm(forms.Form):
    doc_type = forms.ChoiceField(label=_("Document type"), choices=DocType.choices)
    files = MultipleFileField(label=_("Files"), required=True)


class MoveForm(forms.Form):
    action = forms.ChoiceField(choices=Action.choices, widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    agency = forms.TypedChoiceField(label=_("Agency"), coerce=int, required=False, empty_value=None)
    outcome = forms.ChoiceField(label=_("Outcome"), required=False)
    level = forms.ChoiceField(label=_("Now enrolled in"), required=False, choices=[
        ("", "—"), ("paud", _("Early childhood (PAUD)")), ("sd", _("Primary school (SD/MI)")),
        ("smp", _("Junior secondary (SMP/MTs)")), ("sma", _("Senior secondary (SMA/SMK/MA)")),
        ("kesetaraan", _("Equivalency programme (Paket A/B/C)"))])
    school_name = forms.CharField(label=_("School name"), required=False, max_length=120)
    water_source = forms.ChoiceField(label=_("New water source"), required=False,
                                     choices=[("", "—"), *HouseholdCondition.Water.choices])
    sanitation = forms.ChoiceField(label=_("New toilet"), required=False,
                                   choices=[("", "—"), *HouseholdCondition.Sanitation.choices])
    programme = forms.ChoiceField(label=_("Programme granted"), required=False)

    def __init__(self, *args, agencies=(), outcomes=(), programmes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [("", "—"), *[(a.pk, a.name) for a in agencies]]
        self.fields["outcome"].choices = [("", "—"), *outcomes]
        self.fields["programme"].choices = [("", "—"), *programmes]

    def detail(self) -> dict:
        data = self.cleaned_data
        return {key: data.get(key) for key in ("level", "school_name", "water_source", "sanitation", "programme")
                if data.get(key)}


class FilterForm(forms.Form):
    box = forms.CharField(required=False)
    state = forms.CharField(required=False)
    field = forms.CharField(required=False)
    category = forms.CharField(required=False)
    q = forms.CharField(required=False, max_length=60)

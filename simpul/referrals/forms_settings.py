"""Forms of the pembina's settings pages. They parse; the rules live in services/settings.py."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from simpul.referrals.models import FIELD_CHOICES, Agency
from simpul.referrals.services.settings import DOCUMENT_COUNT_MAX, SLA_MAX, SLA_MIN
from simpul.referrals.taxonomy import DocType
from simpul.regions.models import Region

# The order officials know: the six fields as Permendagri lists them, then aspirations.
FIELD_ORDER = {code: index for index, (code, _label) in enumerate(FIELD_CHOICES)}


def area_choices(areas, *, blank_label, desa_only: bool = False) -> list:
    """Kecamatan and desa of a kab/kota as a grouped select: each kecamatan with its desa under it."""
    choices: list = [("", blank_label)]
    group: list | None = None
    for region in areas:
        if region.level == Region.Level.DISTRICT:
            group = []
            choices.append((_("Kecamatan %(name)s") % {"name": region.name}, group))
            if not desa_only:
                group.append((region.code, _("Whole Kecamatan %(name)s") % {"name": region.name}))
        elif group is not None:
            group.append((region.code, f"{region.kind_label} {region.name}"))
    return choices


def category_choices(categories, *, blank_label=None) -> list:
    """Categories grouped by field, in the taxonomy's order."""
    labels = dict(FIELD_CHOICES)
    choices: list = [("", blank_label)] if blank_label is not None else []
    groups: dict[str, list] = {}
    for category in categories:
        groups.setdefault(category.field, []).append((category.pk, category.label))
    for field, items in sorted(groups.items(), key=lambda item: FIELD_ORDER.get(item[0], 99)):
        choices.append((labels.get(field, field), items))
    return choices


class AgencyForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=40,
                           help_text=_("Short, lowercase, without spaces (e.g. dinsos). It cannot be changed later."))
    name = forms.CharField(label=_("Official name"), max_length=160)
    short_name = forms.CharField(label=_("Short name"), max_length=40)
    kind = forms.ChoiceField(label=_("Kind"), choices=Agency.Kind.choices)
    fields = forms.MultipleChoiceField(label=_("Fields it handles"), choices=FIELD_CHOICES,
                                       widget=forms.CheckboxSelectMultiple)
    email = forms.EmailField(label=_("E-mail"), required=False)
    area = forms.ChoiceField(label=_("Works only in"), required=False,
                             help_text=_("For a kecamatan office or a puskesmas. Leave empty for the whole kab/kota."))

    def __init__(self, *args, areas=(), editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = area_choices(areas, blank_label=_("— The whole kab/kota —"))
        if editing:
            del self.fields["code"]


class CategoryForm(forms.Form):
    sla_working_days = forms.IntegerField(
        label=_("SLA (working days)"), min_value=SLA_MIN, max_value=SLA_MAX,
        help_text=_("Counted from the day after the need is recorded; weekends and holidays are skipped."))
    confidential = forms.BooleanField(
        label=_("Confidential by default"), required=False,
        help_text=_("The reporter is hidden and no one outside the desa sees the referral until the lurah approves "
                    "forwarding."))
    active = forms.BooleanField(label=_("Kader may choose this category"), required=False)

    def __init__(self, *args, always_confidential: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if always_confidential:
            # KDRT, drugs, trafficking: the box stays ticked (the service refuses it anyway).
            self.fields["confidential"].disabled = True
            self.fields["confidential"].help_text = _("This category always stays confidential: the victim and "
                                                      "the reporter must be protected.")


class DocumentForm(forms.Form):
    """One required document: a type and how many. A row with no type is left out."""

    type = forms.ChoiceField(label=_("Document"), required=False, choices=[("", "—"), *DocType.choices])
    count = forms.IntegerField(label=_("Number"), required=False, min_value=1, max_value=DOCUMENT_COUNT_MAX,
                               widget=forms.NumberInput(attrs={"inputmode": "numeric"}))

    def clean(self):
        data = super().clean()
        if data.get("type") and data.get("count") is None:
            self.add_error("count", _("How many are needed (1 to %(max)d)?") % {"max": DOCUMENT_COUNT_MAX})
        return data


DocumentFormSet = forms.formset_factory(DocumentForm, extra=3, max_num=len(DocType.values), absolute_max=30)


def documents_from(formset) -> list[dict]:
    return [{"type": f.cleaned_data["type"], "count": f.cleaned_data["count"]}
            for f in formset.forms if f.cleaned_data.get("type")]


class RuleForm(forms.Form):
    field = forms.ChoiceField(label=_("Field"), choices=FIELD_CHOICES)
    category = forms.TypedChoiceField(label=_("Category"), required=False, coerce=int, empty_value=None)
    area = forms.ChoiceField(label=_("Area"), required=False)
    agency = forms.TypedChoiceField(label=_("Agency"), coerce=int)

    def __init__(self, *args, areas=(), agencies=(), categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices(categories,
                                                           blank_label=_("— Every category of the field —"))
        self.fields["area"].choices = area_choices(areas, blank_label=_("— The whole kab/kota —"))
        self.fields["agency"].choices = [("", "—"), *[(a.pk, a.short_name) for a in agencies]]


class PreviewForm(forms.Form):
    """Which agency would a new referral of this category in this desa go to?"""

    category = forms.TypedChoiceField(label=_("Category"), coerce=int)
    desa = forms.ChoiceField(label=_("Desa/kelurahan"))

    def __init__(self, *args, areas=(), categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices(categories, blank_label="—")
        self.fields["desa"].choices = area_choices(areas, blank_label="—", desa_only=True)

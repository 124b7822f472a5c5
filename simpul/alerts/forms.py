"""The form of one early-warning rule on Tim Pembina's settings page: on/off and its parameters.

Built from the rule's defaults (a whole number, a decimal or a choice of codes), so a new parameter needs no
form code. The form checks the shape; ``rules.clean_params`` (in the service) checks the ranges and answers
in the same field names.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from simpul.alerts import rules
from simpul.alerts.selectors_settings import RuleView


class RuleSettingForm(forms.Form):
    active = forms.BooleanField(label=_("Raise this alert in this regency/city"), required=False)

    def __init__(self, rule: RuleView, *args, **kwargs):
        initial = {"active": rule.active, **{p.key: p.value for p in rule.params}}
        super().__init__(*args, prefix=rule.code, initial=initial, **kwargs)
        self.rule = rule
        for param in rule.params:
            help_text = _("Default: %(value)s") % {"value": _shown(param, param.default)}
            if param.kind == "choices":
                field = forms.MultipleChoiceField(choices=param.options, widget=forms.CheckboxSelectMultiple,
                                                  error_messages={"required": _("Choose at least one.")})
            elif param.kind == "decimal":
                low, high = rules.RANGES.get(param.key, rules.DEFAULT_RANGE)
                field = forms.DecimalField(max_digits=4, decimal_places=1, min_value=low, max_value=high)
            else:
                low, high = rules.RANGES.get(param.key, rules.DEFAULT_RANGE)
                field = forms.IntegerField(min_value=low, max_value=high)
            field.label, field.help_text = param.label, help_text
            self.fields[param.key] = field

    def params(self) -> dict:
        """The parameters as the service takes them (decimals as strings, as the rules store them)."""
        data = self.cleaned_data
        return {p.key: str(data[p.key]) if p.kind == "decimal" else data[p.key] for p in self.rule.params}


def _shown(param, value) -> str:
    if param.kind == "choices":
        labels = dict(param.options)
        return ", ".join(labels.get(code, code) for code in value)
    return str(value)

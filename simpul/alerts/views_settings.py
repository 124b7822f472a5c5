"""Tim Pembina's early-warning rules page (/peringatan/aturan/): each rule of the kab/kota, on or off, with
its parameters beside the defaults; one form per rule, and "back to the defaults".

MANAGE_ROUTING over a whole kab/kota (403 for everyone else, 404 for a kab/kota the user does not manage), as
the SPM settings pages. Saving goes through ``rule_setting_save`` / ``rule_setting_clear`` (audited); the
kab/kota's alerts are evaluated again after commit (in the request for a kota, by a job for a kabupaten).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from simpul.accounts.context_processors import request_scope
from simpul.accounts.roles import Perm
from simpul.alerts import selectors_settings as reads
from simpul.alerts.forms import RuleSettingForm
from simpul.alerts.services import rule_setting_clear, rule_setting_save
from simpul.core.decorators import requires
from simpul.core.errors import DomainError
from simpul.core.forms import apply_field_errors
from simpul.spm.selectors_dashboard import kabkota_get, kabkota_managed


@requires(Perm.MANAGE_ROUTING)
@require_http_methods(["GET", "POST"])
def rules_view(request):
    scope = request_scope(request)
    managed = list(kabkota_managed(scope))
    if not managed:
        raise PermissionDenied  # MANAGE_ROUTING over less than a kab/kota: nothing to tune
    wanted = request.POST.get("wilayah") or request.GET.get("wilayah", "")
    kabkota = kabkota_get(scope, wanted) if wanted else managed[0]
    rules = reads.rule_settings(scope, kabkota)
    forms = {rule.code: RuleSettingForm(rule) for rule in rules}
    status = 200
    if request.method == "POST":
        code = request.POST.get("rule", "")
        rule = next((r for r in rules if r.code == code), None)
        if rule is None:
            messages.error(request, _("Unknown rule."))
            return HttpResponseRedirect(_page_url(kabkota))
        if "reset" in request.POST:
            cleared = rule_setting_clear(actor=request.user, scope=scope, region_code=kabkota.code, rule=code)
            messages.success(request, _("“%(rule)s” uses the defaults again.") % {"rule": rule.name} if cleared
                             else _("“%(rule)s” already uses the defaults.") % {"rule": rule.name})
            return HttpResponseRedirect(_page_url(kabkota, code))
        form = forms[code] = RuleSettingForm(rule, request.POST)
        if form.is_valid():
            try:
                rule_setting_save(actor=request.user, scope=scope, region_code=kabkota.code, rule=code,
                                  active=form.cleaned_data["active"], params=form.params())
            except DomainError as exc:
                form.add_error(None, exc.message)
                apply_field_errors({key.removeprefix("params."): value for key, value in exc.field_errors.items()},
                                   form)
            else:
                messages.success(request, _("Saved. The alerts of %(kabkota)s follow the new setting (in a large "
                                            "regency, a few minutes later).") % {"kabkota": kabkota.name})
                return HttpResponseRedirect(_page_url(kabkota, code))
        status = 400
    return render(request, "alerts/rules.html", {
        "kabkota": kabkota, "managed": managed, "rows": [(rule, forms[rule.code]) for rule in rules],
    }, status=status)


def _page_url(kabkota, anchor: str = "") -> str:
    return f"{reverse('alerts:rules')}?{urlencode({'wilayah': kabkota.code})}" + (f"#rule-{anchor}" if anchor else "")

"""Rows of the central access matrix (simpul/core/tests/test_access_matrix.py) for the settings pages.

Only the pembina of the kab/kota gets in; the other roles get 403 (simpul/referrals/tests/test_settings_views.py
also covers the Jepara pembina, who gets 404 on Kota Mojokerto's agencies and rules).
"""

from simpul.referrals.models import Agency, Category, RoutingRule

MANAGERS = {"pembina_mojokerto"}


def extend(objects: dict) -> None:
    """A Kota Mojokerto agency, its seeded routing rule and a category (all from agencies_seed)."""
    objects["settings_agency"] = Agency.objects.get(region_id="3576", code="perkim")
    objects["settings_rule"] = RoutingRule.objects.get(region_id="3576", field="perumahan", category=None, area=None)
    objects["settings_category"] = Category.objects.get(code="prk_rtlh")


PAGES = {
    "referrals:settings": (lambda o: "/rujukan/pengaturan/", MANAGERS),
    "referrals:settings_agencies": (lambda o: "/rujukan/pengaturan/instansi/", MANAGERS),
    "referrals:settings_agency_add": (lambda o: "/rujukan/pengaturan/instansi/baru/", MANAGERS),
    "referrals:settings_agency_edit": (lambda o: f"/rujukan/pengaturan/instansi/{o['settings_agency'].pk}/", MANAGERS),
    "referrals:settings_categories": (lambda o: "/rujukan/pengaturan/kategori/", MANAGERS),
    "referrals:settings_category_edit": (lambda o: f"/rujukan/pengaturan/kategori/{o['settings_category'].pk}/",
                                         MANAGERS),
    "referrals:settings_rules": (lambda o: "/rujukan/pengaturan/aturan/", MANAGERS),
    "referrals:settings_rule_add": (lambda o: "/rujukan/pengaturan/aturan/baru/", MANAGERS),
    "referrals:settings_rule_edit": (lambda o: f"/rujukan/pengaturan/aturan/{o['settings_rule'].pk}/", MANAGERS),
    "referrals:settings_rule_delete": (lambda o: f"/rujukan/pengaturan/aturan/{o['settings_rule'].pk}/hapus/",
                                       MANAGERS),
}
API: dict = {}
NOT_IN_MATRIX = {
    "referrals:settings_agency_active",  # POST only: simpul/referrals/tests/test_settings_views.py
}

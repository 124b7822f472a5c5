"""Access matrix rows of the early-warning page and API (merged by simpul/core/tests/test_access_matrix.py).

The object is an alert on the Miji family (a stunted toddler in a household without social aid: kesehatan
and sosial, alerting Dinkes and Dinsos). Asked for Posyandu Miji, it opens for the kader there, the village
office, the camat and the bidan of the kecamatan, Tim Pembina and the Dinsos officer (masked where they may
not see names); kader of other posyandu get a 404 and the administrator a 403.
"""

MANAGERS = {"pembina_mojokerto"}  # the rules of Kota Mojokerto: its Tim Pembina only (Jepara's: test_rules_*)
PLACE = {"kader_miji", "lurah_miji", "camat_kranggan", "bidan_kranggan", "pembina_mojokerto", "opd_dinsos"}


def extend(objects: dict) -> None:
    from simpul.alerts.models import Alert
    from simpul.alerts.services import alerts_evaluate
    from simpul.alerts.tests import kit

    household = objects["household"]
    child = household.members.get(full_name="Aisyah Putri")
    kit.condition(household)
    kit.measure(child, lhfa="stunted")
    alerts_evaluate([household.posyandu_id], today=kit.today())
    objects["alert"] = Alert.objects.get(household=household, rule="malnourished_child_no_aid")


PAGES = {
    "alerts:priority": (lambda o: f"/peringatan/?posyandu={o['posyandu'].pk}", PLACE),
    "alerts:rules": (lambda o: "/peringatan/aturan/?wilayah=3576", MANAGERS),
}
API = {
    "alert_list": (lambda o: f"/api/v1/alerts?posyandu={o['posyandu'].pk}", PLACE),
    "rule_list": (lambda o: "/api/v1/alerts/rules?region=35.76", MANAGERS),
}
NOT_IN_MATRIX = {
    # POST-only: simpul/alerts/tests/test_priority_view.py and test_alerts_api.py
    "alerts:refer", "alerts:dismiss", "alert_refer_api", "alert_dismiss_api",
    # PUT and DELETE of one rule's setting: simpul/alerts/tests/test_rules_api.py
    "rule_save", "rule_reset",
}

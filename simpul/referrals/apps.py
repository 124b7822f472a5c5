from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "simpul.referrals"
    label = "referrals"

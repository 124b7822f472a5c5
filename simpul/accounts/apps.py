from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "simpul.accounts"
    label = "accounts"

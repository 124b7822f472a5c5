from django.apps import AppConfig


class FieldAppConfig(AppConfig):
    name = "simpul.fieldapp"
    label = "fieldapp"
    verbose_name = "Field app (offline PWA)"

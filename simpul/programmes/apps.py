from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "simpul.programmes"
    label = "programmes"
    verbose_name = "programmes and activities for the community (Jumat Berkah, women's empowerment)"

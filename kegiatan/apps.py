from django.apps import AppConfig


class KegiatanConfig(AppConfig):
    name = "kegiatan"
    verbose_name = "Kegiatan TP PKK"
    default_auto_field = "django.db.models.BigAutoField"

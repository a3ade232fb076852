from django.urls import path

from . import views_accounts, views_export_log

app_name = "akun"

urlpatterns = [
    path("", views_accounts.akun_list, name="list"),
    path("baru/", views_accounts.akun_create, name="baru"),
    path("log-ekspor/", views_export_log.export_log, name="log_ekspor"),
    path("<int:user_id>/", views_accounts.akun_detail, name="detail"),
    path("<int:user_id>/nonaktifkan/", views_accounts.akun_deactivate, name="nonaktifkan"),
    path("<int:user_id>/aktifkan/", views_accounts.akun_activate, name="aktifkan"),
    path("<int:user_id>/reset-sandi/", views_accounts.akun_reset_sandi, name="reset_sandi"),
    path("<int:user_id>/ubah/", views_accounts.akun_update, name="ubah"),
]

from django.contrib import admin
from django.urls import include, path

from reporting.views_home import home

from . import views

urlpatterns = [
    path("", home, name="home"),  # reporting owns the dashboards users land on
    path("masuk/", views.login_view, name="login"),
    path("keluar/", views.logout_view, name="logout"),
    path("akun/sandi/", views.password_change_view, name="password_change"),
    path("akun/sandi/selesai/", views.password_change_done_view, name="password_change_done"),
    path("akun/", include("pkk.urls_accounts")),
    path("healthz", views.healthz, name="healthz"),
    path("wilayah/", include("pkk.urls_wilayah")),
    path("data/", include("dasawisma.urls")),
    path("laporan/", include("reporting.urls")),
    path("kegiatan/", include("kegiatan.urls")),
    path("binaan/", include("binaan.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "pkk.errors.forbidden"
handler404 = "pkk.errors.not_found"
handler500 = "pkk.errors.server_error"

from django.urls import path

from . import views

app_name = "kegiatan"

urlpatterns = [
    path("", views.kegiatan_list, name="list"),
    path("baru/", views.kegiatan_create, name="create"),
    path("<int:kegiatan_id>/", views.kegiatan_detail, name="detail"),
    path("<int:kegiatan_id>/ubah/", views.kegiatan_edit, name="edit"),
    path("<int:kegiatan_id>/hapus/", views.kegiatan_delete, name="delete"),
    path("foto/<int:foto_id>/", views.foto, name="foto"),
    path("buku/", views.buku_home, name="buku_home"),
    path("buku/<int:unit_id>/<int:tahun>/", views.buku, name="buku"),
    path("buku/<int:unit_id>/<int:tahun>/xlsx/", views.buku_xlsx_view, name="buku_xlsx"),
]

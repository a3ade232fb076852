from django.urls import path

from . import views_workbook
from .views import buku1, home, kehamilan, pindah, rumah_tangga, warga

app_name = "dasawisma"

urlpatterns = [
    path("", home.kader_home, name="kader_home"),
    path("dasawisma/<int:unit_id>/", home.dasawisma_home, name="dasawisma_home"),
    path("dasawisma/<int:unit_id>/rumah-tangga/baru/", rumah_tangga.rumah_tangga_create, name="rumah_tangga_create"),
    path("rumah-tangga/<int:rumah_tangga_id>/", rumah_tangga.rumah_tangga_detail, name="rumah_tangga_detail"),
    path("rumah-tangga/<int:rumah_tangga_id>/ubah/", rumah_tangga.rumah_tangga_update, name="rumah_tangga_update"),
    path("rumah-tangga/<int:rumah_tangga_id>/keluarga/baru/", rumah_tangga.keluarga_create, name="keluarga_create"),
    path("rumah-tangga/<int:rumah_tangga_id>/kepala/", rumah_tangga.kepala_set, name="kepala_set"),
    path("rumah-tangga/<int:rumah_tangga_id>/warga/baru/", warga.warga_create, name="warga_create"),
    path("rumah-tangga/<int:rumah_tangga_id>/buku-1/", buku1.buku1, name="buku1"),
    path("keluarga/<int:keluarga_id>/warga/baru/", warga.warga_create_in_keluarga, name="warga_create_in_keluarga"),
    path("warga/<int:warga_id>/", warga.warga_detail, name="warga_detail"),
    path("warga/<int:warga_id>/ubah/", warga.warga_update, name="warga_update"),
    path("warga/<int:warga_id>/meninggal/", warga.warga_die, name="warga_meninggal"),
    path("warga/<int:warga_id>/pindah/", warga.warga_move, name="warga_pindah"),
    path("warga/<int:warga_id>/kehamilan/baru/", kehamilan.kehamilan_create, name="kehamilan_create"),
    path("kehamilan/<int:kehamilan_id>/ubah/", kehamilan.kehamilan_update, name="kehamilan_update"),
    path("kehamilan/<int:kehamilan_id>/selesai/", kehamilan.kehamilan_end, name="kehamilan_selesai"),
    path("kualitas/", home.data_quality, name="data_quality"),
    path(
        "rumah-tangga/<int:rumah_tangga_id>/pindah-dasawisma/",
        pindah.rumah_tangga_move,
        name="rumah_tangga_pindah",
    ),
    path("dasawisma/<int:unit_id>/pindah/", pindah.dasawisma_move, name="dasawisma_pindah"),
    path("workbook/", views_workbook.workbook_page, name="workbook"),
    path("workbook/ekspor/<int:unit_id>/", views_workbook.workbook_export_view, name="workbook_export"),
    path("workbook/tugas/<int:workbook_job_id>/", views_workbook.workbook_job, name="workbook_job"),
    path(
        "workbook/tugas/<int:workbook_job_id>/unduh/",
        views_workbook.workbook_job_download,
        name="workbook_job_download",
    ),
]

from django.urls import path

from . import views, views_cycle, views_kunci_serentak

app_name = "reporting"

urlpatterns: list = [
    # Rekap report pages (reporting/views.py, helper 'report').
    path("", views.laporan_home, name="laporan_home"),
    path("<int:unit_id>/pilih/", views.laporan_pilih, name="laporan_pilih"),
    path("<int:unit_id>/tahunan/<int:tahun>/", views.rekap_tahunan, name="rekap_tahunan"),
    path("<int:unit_id>/tahunan/<int:tahun>/xlsx/", views.rekap_tahunan_xlsx, name="rekap_tahunan_xlsx"),
    path("<int:unit_id>/tahunan/<int:tahun>/ekspor/", views.rekap_tahunan_ekspor, name="rekap_tahunan_ekspor"),
    path("<int:unit_id>/bulanan/<str:bulan>/", views.rekap_bulanan, name="rekap_bulanan"),
    path("<int:unit_id>/bulanan/<str:bulan>/xlsx/", views.rekap_bulanan_xlsx, name="rekap_bulanan_xlsx"),
    path("<int:unit_id>/bulanan/<str:bulan>/ekspor/", views.rekap_bulanan_ekspor, name="rekap_bulanan_ekspor"),
    path("ekspor/<int:job_id>/", views.export_job, name="export_job"),
    path("ekspor/<int:job_id>/unduh/", views.export_job_download, name="export_job_download"),
    # Reporting cycle (reporting/views_cycle.py, helper 'cycle').
    path("saya/", views_cycle.laporan_saya, name="laporan_saya"),
    path("saya/<int:unit_id>/ajukan/", views_cycle.laporan_ajukan, name="laporan_ajukan"),
    path("pengajuan/<int:laporan_id>/", views_cycle.laporan_detail, name="laporan_detail"),
    path("pengajuan/<int:laporan_id>/terima/", views_cycle.laporan_terima, name="laporan_terima"),
    path("pengajuan/<int:laporan_id>/kembalikan/", views_cycle.laporan_kembalikan, name="laporan_kembalikan"),
    path("pengajuan/<int:laporan_id>/buka/", views_cycle.laporan_buka, name="laporan_buka"),
    path("verifikasi/", views_cycle.verifikasi, name="verifikasi"),
    path("verifikasi/terima/", views_cycle.verifikasi_terima, name="verifikasi_terima"),
    path("kunci/<int:unit_id>/", views_cycle.kunci, name="kunci"),
    path("kunci/<int:unit_id>/tutup/", views_cycle.kunci_tutup, name="kunci_tutup"),
    path("kunci/<int:unit_id>/buka/", views_cycle.kunci_buka, name="kunci_buka"),
    path("kunci-serentak/<int:unit_id>/", views_kunci_serentak.kunci_serentak, name="kunci_serentak"),  # people
    path("kelengkapan/", views_cycle.kelengkapan_home, name="kelengkapan_home"),
    path("kelengkapan/<int:unit_id>/", views_cycle.kelengkapan_unit, name="kelengkapan_unit"),
    path("kelengkapan/<int:unit_id>/bulanan/<str:bulan>/", views_cycle.kelengkapan_bulanan, name="kelengkapan_bulanan"),
    path("kelengkapan/<int:unit_id>/tahunan/<int:tahun>/", views_cycle.kelengkapan_tahunan, name="kelengkapan_tahunan"),
    path("dasbor/<int:unit_id>/", views_cycle.dasbor, name="dasbor"),
]

"""Kader data entry pages (issue 3). All under ``/data/`` (namespace ``dasawisma``), one module per record
around one shared form flow:

    flow            the GET form / POST validate / service call / message / redirect cycle of every data
                    form, with its idempotency token (create forms), drafts and version conflicts
    home            kader_home, dasawisma_home (with what is due: ``dasawisma.panels``), data_quality
    rumah_tangga    rumah tangga pages, keluarga (No. KK), kepala
    warga           warga pages, death and move away
    kehamilan       kehamilan pages
    buku1           Buku I (Catatan Keluarga) of a rumah tangga
    riwayat         the change history shown on the detail pages
    pindah          moving a rumah tangga / a dasawisma within a desa (TP PKK desa)

The workbook pages are ``dasawisma.views_workbook``. URL names stay Indonesian; a view whose URL name is an
Indonesian verb has an English one (``warga_meninggal`` -> ``warga_die``, ``warga_pindah`` -> ``warga_move``,
``kehamilan_selesai`` -> ``kehamilan_end``, ``rumah_tangga_pindah`` -> ``rumah_tangga_move``,
``dasawisma_pindah`` -> ``dasawisma_move``).

Main URLs (GET shows, POST saves; every object id is fetched from the user's scope, else 404):

    /data/                                          kader_home: one dasawisma -> redirect to its page,
                                                    several (TP PKK desa) -> pick list
    /data/dasawisma/<unit_id>/                      dasawisma_home: rumah tangga list, what is due
    /data/dasawisma/<unit_id>/rumah-tangga/baru/    rumah_tangga_create
    /data/rumah-tangga/<rumah_tangga_id>/           rumah_tangga_detail: warga, keluarga, kehamilan, riwayat
    /data/rumah-tangga/<rumah_tangga_id>/ubah/      rumah_tangga_update
    /data/rumah-tangga/<rumah_tangga_id>/keluarga/baru/   keluarga_create (No. KK)
    /data/rumah-tangga/<rumah_tangga_id>/kepala/    kepala_set (radio list of active warga)
    /data/rumah-tangga/<rumah_tangga_id>/warga/baru/      warga_create (GET ?keluarga=&ibu=&tanggal_lahir=
                                                    prefill; used after a live birth)
    /data/rumah-tangga/<rumah_tangga_id>/buku-1/    buku1: Catatan Keluarga (lampiran 4.15), printable
    /data/keluarga/<keluarga_id>/warga/baru/        warga_create with that No. KK preselected
    /data/warga/<warga_id>/                         warga_detail (full NIK and riwayat for writers only)
    /data/warga/<warga_id>/ubah/                    warga_update
    /data/warga/<warga_id>/meninggal/               warga_meninggal (view warga_die: tanggal, sebab)
    /data/warga/<warga_id>/pindah/                  warga_pindah (view warga_move: tanggal)
    /data/warga/<warga_id>/kehamilan/baru/          kehamilan_create
    /data/kehamilan/<kehamilan_id>/ubah/            kehamilan_update
    /data/kehamilan/<kehamilan_id>/selesai/         kehamilan_selesai (view kehamilan_end); hasil lahir_hidup
                                                    redirects to warga_create prefilled with ibu, No. KK,
                                                    tanggal lahir
    /data/kualitas/                                 data_quality (TP PKK desa, pembina kecamatan, admin)

Flows for the browser tests: kader logs in -> /data/ -> "Tambah rumah tangga" (button id
``btn-tambah-rumah-tangga``) -> rumah tangga page -> "Tambah warga" (``btn-tambah-warga``); the first warga
form asks a new No. KK (``id_no_kk_baru``) and "Jadikan kepala rumah tangga" (``id_kepala_rumah_tangga``).
On a warga page: "Catat kehamilan" (``btn-kehamilan``), "Meninggal" / "Pindah"; on the rumah tangga page
each open kehamilan has "Selesai" (``btn-selesai-<kehamilan_id>``). Every data form is
``<form id="form-data" data-draft="...">`` with submit button ``btn-simpan``; field ids are ``id_<field>``.
"""

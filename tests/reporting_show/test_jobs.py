"""Subtree export jobs: queued, claimed atomically, progress up to total, download scoped, files expire."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from pkk.models import PersonalDataExportLog, Role
from reporting import exports
from reporting.books import BUKU_II
from reporting.exports import export_job_claim, export_job_create, export_job_run, exports_cleanup
from reporting.models import ExportJob
from tests.builders import make_user

from .conftest import TAHUN, login

pytestmark = pytest.mark.django_db


def start_job(client, unit, *, sampai="desa", django_capture_on_commit_callbacks, bulan=None):
    if bulan:
        url = reverse("reporting:rekap_bulanan_ekspor", kwargs={"unit_id": unit.pk, "bulan": bulan})
    else:
        url = reverse("reporting:rekap_tahunan_ekspor", kwargs={"unit_id": unit.pk, "tahun": TAHUN})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"sampai": sampai})
    assert response.status_code == 302
    job = ExportJob.objects.latest("pk")
    assert response.url == reverse("reporting:export_job", kwargs={"job_id": job.pk})
    return job


def test_export_job_end_to_end(seeded, media, django_capture_on_commit_callbacks):
    client = login(seeded.admin)
    job = start_job(client, seeded.kab, django_capture_on_commit_callbacks=django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.SELESAI
    assert job.total == 6 and job.progress == job.total  # kab, 2 kecamatan, 3 desa
    assert job.expires_at > timezone.now() + dt.timedelta(hours=23)
    page = client.get(reverse("reporting:export_job", kwargs={"job_id": job.pk})).content.decode()
    download = reverse("reporting:export_job_download", kwargs={"job_id": job.pk})
    assert download in page and "hx-trigger" not in page
    response = client.get(download)
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert wb.sheetnames == [  # the index, then tree order
        "Daftar Isi",
        "4.17c Kabupaten Purworejo",
        "4.17b Kecamatan Bener",
        "4.17a Desa Kaliboto",
        "4.17a Desa Kedungpucang",
        "4.17b Kecamatan Grabag",
        "4.17a Desa Harjobinangun",
    ]
    # Each sheet is the same as the single-sheet download of that unit.
    single = client.get(reverse("reporting:rekap_tahunan_xlsx", kwargs={"unit_id": seeded.bener.pk, "tahun": TAHUN}))
    a = load_workbook(io.BytesIO(single.content)).active
    b = wb["4.17b Kecamatan Bener"]
    assert [[c.value for c in r] for r in a.iter_rows()] == [[c.value for c in r] for r in b.iter_rows()]
    assert {str(r) for r in a.merged_cells.ranges} == {str(r) for r in b.merged_cells.ranges}
    assert not PersonalDataExportLog.objects.exists()
    # The index lists every sheet with its unit path and links to it.
    index = wb["Daftar Isi"]
    rows = [[c.value for c in r] for r in index.iter_rows(min_row=6, max_col=4)]
    assert [r[3] for r in rows] == wb.sheetnames[1:]
    assert rows[2][1:3] == ["4.17a", "Jawa Tengah / Kabupaten Purworejo / Kecamatan Bener / Desa Kaliboto"]
    links = [index.cell(6 + i, 4).hyperlink.location for i in range(len(rows))]
    assert links[1] == "'4.17b Kecamatan Bener'!A1"


def test_progress_grows_sheet_by_sheet(seeded, media, monkeypatch):
    seen = []
    real = exports.write_sheet_streamed

    def spy(wb, title, report):
        seen.append(ExportJob.objects.values_list("progress", "total", "status").get())
        return real(wb, title, report)

    monkeypatch.setattr(exports, "write_sheet_streamed", spy)
    job = export_job_create(unit=seeded.bener, buku=BUKU_II, periode=TAHUN, sampai="dasawisma", actor=seeded.pembina)
    export_job_run(job_id=job.pk)
    # bener, kaliboto, krajan, rw1, rt1, mawar, melati, rt2, anggrek, kedungpucang, rw, rt, kenanga
    assert [p for p, _t, _s in seen] == list(range(13))
    assert {t for _p, t, _s in seen} == {13} and {s for *_x, s in seen} == {"proses"}
    job.refresh_from_db()
    assert (job.progress, job.total, job.status) == (13, 13, "selesai")
    log = PersonalDataExportLog.objects.get()  # down to each dasawisma: the 4.16a lists carry names
    assert (log.user, log.unit, log.channel) == (seeded.pembina, seeded.bener, "job")


def test_monthly_job(seeded, media, django_capture_on_commit_callbacks):
    job = start_job(
        login(seeded.desa),
        seeded.kaliboto,
        bulan="2025-03",
        django_capture_on_commit_callbacks=django_capture_on_commit_callbacks,
    )
    job.refresh_from_db()
    assert job.status == "selesai" and job.total == 1
    wb = load_workbook(job.file.path)
    assert wb.sheetnames == ["Daftar Isi", "4.19a Desa Kaliboto"]


def test_claim_is_atomic_and_run_is_idempotent(seeded, media):
    job = export_job_create(unit=seeded.kab, buku=BUKU_II, periode=TAHUN, sampai="desa", actor=seeded.admin)
    assert export_job_claim(job.pk) is True
    assert export_job_claim(job.pk) is False  # a second worker does not get it
    export_job_run(job_id=job.pk)  # not claimable: nothing happens
    job.refresh_from_db()
    assert job.status == "proses" and not job.file
    # A worker that died long ago (no heartbeat since): the job may be claimed again.
    long_ago = timezone.now() - dt.timedelta(hours=2)
    ExportJob.objects.filter(pk=job.pk).update(started_at=long_ago, heartbeat_at=long_ago)
    export_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == "selesai"
    first = job.file.name
    export_job_run(job_id=job.pk)  # finished: running it again changes nothing
    job.refresh_from_db()
    assert job.file.name == first


def test_failure_is_recorded(seeded, media, monkeypatch):
    job = export_job_create(unit=seeded.kab, buku=BUKU_II, periode=TAHUN, sampai="desa", actor=seeded.admin)

    def boom(*args, **kwargs):
        raise ValueError("data rusak")

    monkeypatch.setattr(exports, "write_sheet_streamed", boom)
    with pytest.raises(ValueError):
        export_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == "gagal" and "data rusak" in job.error
    page = login(seeded.admin).get(reverse("reporting:export_job", kwargs={"job_id": job.pk})).content.decode()
    assert "data rusak" in page


def test_transient_error_goes_back_to_the_queue(seeded, media, monkeypatch):
    job = export_job_create(unit=seeded.kab, buku=BUKU_II, periode=TAHUN, sampai="desa", actor=seeded.admin)

    def flaky(*args, **kwargs):
        raise OperationalError("server closed the connection")

    monkeypatch.setattr(exports, "write_sheet_streamed", flaky)
    with pytest.raises(OperationalError):
        export_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == "antri"  # the task's retry can claim it again
    monkeypatch.undo()
    exports.run_export_job.apply(args=[job.pk])
    job.refresh_from_db()
    assert job.status == "selesai"


def test_polling_fragment_while_running(seeded, media):
    job = export_job_create(unit=seeded.kab, buku=BUKU_II, periode=TAHUN, sampai="desa", actor=seeded.admin)
    ExportJob.objects.filter(pk=job.pk).update(status="proses", progress=2, total=6)
    client = login(seeded.admin)
    url = reverse("reporting:export_job", kwargs={"job_id": job.pk})
    page = client.get(url).content.decode()
    assert 'hx-trigger="every 2s"' in page and f'hx-get="{url}"' in page and f'href="{url}"' in page
    assert "2 dari 6" in page and "33%" in page
    fragment = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert fragment.lstrip().startswith('<div id="job-status"') and "<html" not in fragment


def test_download_scope(seeded, media):
    job = export_job_create(unit=seeded.bener, buku=BUKU_II, periode=TAHUN, sampai="desa", actor=seeded.pembina)
    export_job_run(job_id=job.pk)
    urls = [
        reverse("reporting:export_job", kwargs={"job_id": job.pk}),
        reverse("reporting:export_job_download", kwargs={"job_id": job.pk}),
    ]
    same_scope = make_user("pembina_bener_2", Role.PEMBINA_KECAMATAN, seeded.bener)
    for user in (seeded.pembina, seeded.admin, same_scope):
        client = login(user)
        assert [client.get(u).status_code for u in urls] == [200, 200], user
    for user in (seeded.pembina_grabag, seeded.desa, seeded.kader, seeded.kader_kp, seeded.nobody):
        client = login(user)
        assert [client.get(u).status_code for u in urls] == [404, 404], user
    # Unknown job id: 404 as well.
    assert login(seeded.admin).get(reverse("reporting:export_job", kwargs={"job_id": job.pk + 99})).status_code == 404


def test_files_expire_and_are_cleaned_up(seeded, media):
    job = export_job_create(unit=seeded.kab, buku=BUKU_II, periode=TAHUN, sampai="desa", actor=seeded.admin)
    export_job_run(job_id=job.pk)
    job.refresh_from_db()
    path = Path(job.file.path)
    assert path.exists()
    client = login(seeded.admin)
    download = reverse("reporting:export_job_download", kwargs={"job_id": job.pk})
    assert client.get(download).status_code == 200
    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    assert client.get(download).status_code == 404
    assert "kedaluwarsa" in client.get(reverse("reporting:export_job", kwargs={"job_id": job.pk})).content.decode()
    assert exports.cleanup_exports.apply().get() == 1
    assert not path.exists()
    job.refresh_from_db()
    assert not job.file
    assert exports_cleanup() == 0


def test_subtree_export_not_offered_below_the_dusun_and_refused_for_bad_options(seeded):
    client = login(seeded.ketua_rt)
    page = client.get(reverse("reporting:rekap_tahunan", kwargs={"unit_id": seeded.rt1.pk, "tahun": TAHUN}))
    assert "Buat berkas" not in page.content.decode()
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        export_job_create(unit=seeded.kab, buku="buku9", periode=TAHUN, sampai="desa", actor=seeded.admin)
    with pytest.raises(ValidationError):
        export_job_create(unit=seeded.kab, buku=BUKU_II, periode=TAHUN, sampai="rt", actor=seeded.admin)


def test_worker_registers_the_export_tasks():
    from pkk.celery import app

    app.loader.import_default_modules()  # what a worker does at start (CELERY_IMPORTS + autodiscovery)
    assert {"reporting.run_export_job", "reporting.cleanup_exports"} <= set(app.tasks)


# ---- heartbeat and sweep (issue 12: a job killed mid-run showed "running" for an hour) ----------------------


def _running(job, *, beat_seconds_ago):
    beat = timezone.now() - dt.timedelta(seconds=beat_seconds_ago)
    ExportJob.objects.filter(pk=job.pk).update(status="proses", started_at=beat, heartbeat_at=beat, progress=2, total=6)


def test_the_sweep_fails_a_job_whose_worker_stopped_beating_and_the_page_offers_a_restart(
    seeded, media, settings, django_capture_on_commit_callbacks
):
    from pkk.heartbeat import STALE_MESSAGE
    from pkk.tasks import jobs_sweep

    settings.PKK_JOB_STALE_SECONDS = 180
    dead = export_job_create(unit=seeded.kab, buku=BUKU_II, periode=TAHUN, sampai="desa", actor=seeded.admin)
    alive = export_job_create(unit=seeded.bener, buku=BUKU_II, periode=TAHUN, sampai="desa", actor=seeded.admin)
    _running(dead, beat_seconds_ago=181)
    _running(alive, beat_seconds_ago=30)
    out = jobs_sweep()
    assert out["reporting.ExportJob"]["failed"] == [dead.pk]
    dead.refresh_from_db()
    alive.refresh_from_db()
    assert (dead.status, dead.error) == ("gagal", STALE_MESSAGE) and dead.finished_at is not None
    assert alive.status == "proses"
    # A late redelivery of the dead job's task (acks_late) finds it failed and leaves it so.
    export_job_run(job_id=dead.pk)
    dead.refresh_from_db()
    assert dead.status == "gagal" and not dead.file
    # The page says what happened, stops polling and starts the same export again.
    client = login(seeded.admin)
    page = client.get(reverse("reporting:export_job", kwargs={"job_id": dead.pk})).content.decode()
    restart = reverse("reporting:rekap_tahunan_ekspor", kwargs={"unit_id": seeded.kab.pk, "tahun": TAHUN})
    assert "berhenti di tengah jalan" in page and "hx-trigger" not in page
    assert f'action="{restart}"' in page and 'name="sampai" value="desa"' in page and "Mulai lagi" in page
    with django_capture_on_commit_callbacks(execute=True):
        resp = client.post(restart, {"sampai": "desa"})
    again = ExportJob.objects.latest("pk")
    assert resp.status_code == 302 and again.pk not in (dead.pk, alive.pk)
    same = {k: again.params[k] for k in ("buku", "tahun", "sampai")}
    assert again.status == "selesai" and same == {k: dead.params[k] for k in ("buku", "tahun", "sampai")}


def test_a_job_never_heard_from_counts_from_its_start(seeded, media):
    from pkk.tasks import jobs_sweep

    job = export_job_create(unit=seeded.kab, buku=BUKU_II, periode=TAHUN, sampai="desa", actor=seeded.admin)
    old = timezone.now() - dt.timedelta(hours=1)
    ExportJob.objects.filter(pk=job.pk).update(status="proses", started_at=old, heartbeat_at=None)
    assert jobs_sweep()["reporting.ExportJob"]["failed"] == [job.pk]


def test_a_stale_job_may_be_claimed_again_a_beating_one_not(seeded, media, settings):
    settings.PKK_JOB_STALE_SECONDS = 180
    job = export_job_create(unit=seeded.kab, buku=BUKU_II, periode=TAHUN, sampai="desa", actor=seeded.admin)
    _running(job, beat_seconds_ago=60)
    assert export_job_claim(job.pk) is False
    _running(job, beat_seconds_ago=600)
    assert export_job_claim(job.pk) is True
    job.refresh_from_db()
    assert job.heartbeat_at > timezone.now() - dt.timedelta(seconds=5)


def test_progress_updates_beat_the_heart(seeded, media, monkeypatch):
    seen = []
    real = exports.write_sheet_streamed

    def spy(wb, title, report):
        seen.append(ExportJob.objects.values_list("heartbeat_at", flat=True).get())
        return real(wb, title, report)

    monkeypatch.setattr(exports, "write_sheet_streamed", spy)
    job = export_job_create(unit=seeded.kab, buku=BUKU_II, periode=TAHUN, sampai="desa", actor=seeded.admin)
    export_job_run(job_id=job.pk)
    assert len(seen) == 6 and all(seen) and seen == sorted(seen)


def test_the_heartbeat_thread_beats_outside_eager_mode(seeded, media, settings, monkeypatch):
    """The thread updates heartbeat_at on its own while the block runs (a real worker; eager skips it)."""
    import threading

    from pkk import heartbeat

    calls = []

    class FakeManager:
        @staticmethod
        def filter(**kw):
            class Q:
                @staticmethod
                def update(**values):
                    calls.append((kw, values))

            return Q()

    class FakeModel:
        __name__ = "FakeModel"
        objects = FakeManager()

    monkeypatch.setattr(heartbeat.connection, "close", lambda: None)
    conf = heartbeat.current_app.conf
    conf.task_always_eager = False
    try:
        with heartbeat.beating(FakeModel, 7, interval=0.05):
            threading.Event().wait(0.3)
    finally:
        conf.task_always_eager = True
    n = len(calls)
    assert n >= 3 and all(kw == {"pk": 7} and "heartbeat_at" in v for kw, v in calls)
    threading.Event().wait(0.15)
    assert len(calls) == n  # stopped with the block

"""Desa binaan pages: designation (admin kabupaten), visits (pembina kecamatan), follow-ups (desa answers,
pembina confirms). Every object is fetched through ``binaan.selectors`` (404 outside scope); roles are
checked by ``@scoped`` before any lookup (403).

URL map (namespace ``binaan``, mounted at ``/binaan/``):

    /binaan/                                           index: the user's desa binaan
    /binaan/penetapan/  (+ baru/, <penetapan_id>/, ubah/, sk/, desa/)    designation
    /binaan/<binaan_id>/                              the desa binaan page (visits, follow-ups, progress)
    /binaan/<binaan_id>/kunjungan/baru/               POST: a new draft visit
    /binaan/kunjungan/<kunjungan_id>/                 edit a draft (pembina) or read a finished visit
    /binaan/kunjungan/<kunjungan_id>/foto/, hapus/    POST: add a photo, delete a draft
    /binaan/foto/<kunjungan_foto_id>/ (+ hapus/)                a photo, served after the scope check
    /binaan/tindak-lanjut/<tindak_lanjut_id>/jawab/, konfirmasi/, buka/, foto/

Browser-test ids: visit form ``form-kunjungan`` (draft.js), buttons ``btn-simpan-draf`` / ``btn-selesai``;
photo form ``form-foto`` with ``btn-unggah``; answer form ``form-jawab`` with ``btn-jawab``; per follow-up
``btn-konfirmasi-<id>``.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dasawisma.forms import add_service_errors
from pkk.models import Level, Role, Unit
from pkk.photos import serve_private_file
from pkk.scope import assignments, is_global, scoped

from . import selectors, services
from .forms import (
    DesaBinaanAddForm,
    FotoForm,
    KunjunganBaruForm,
    KunjunganForm,
    PembinaForm,
    PenetapanForm,
    TindakLanjutAnswerForm,
    TindakLanjutReopenForm,
)
from .models import DesaBinaan, Kunjungan, Penetapan, TindakLanjut

READ = selectors.READ_ROLES
ADMIN = (Role.ADMIN_KABUPATEN,)
PEMBINA = (Role.PEMBINA_KECAMATAN,)
DESA = (Role.TP_PKK_DESA,)


def _saved(request: HttpRequest, url: str) -> HttpResponse:
    """draft.js submits with ``X-Draft-Submit`` and follows ``X-Draft-Location`` itself (then clears the
    browser's draft); an ordinary submit is redirected."""
    if request.headers.get("X-Draft-Submit"):
        response = HttpResponse(status=204)
        response["X-Draft-Location"] = url
        return response
    return redirect(url)


def _serve(file_field, *, download_name: str):
    return serve_private_file(file_field, download_name)


def admin_kabupaten(user) -> list[Unit]:
    if is_global(user):
        return list(Unit.objects.filter(level=Level.KABUPATEN, is_active=True).order_by("path")[:1])
    return [a.unit for a in assignments(user) if a.role == Role.ADMIN_KABUPATEN and a.unit.level == Level.KABUPATEN]


# --------------------------------------------------------------------------- index and designation


@require_GET
@scoped(*READ)
def index(request: HttpRequest) -> HttpResponse:
    """Admin: the designations; pembina: the overview of its desa binaan; desa: its own page (or a note
    that it is not a desa binaan this year)."""
    if admin_kabupaten(request.user):
        return redirect("binaan:penetapan_list")
    tahun = timezone.localdate().year
    if any(a.role == Role.PEMBINA_KECAMATAN for a in assignments(request.user)):
        return redirect("binaan:ringkasan", tahun=tahun)
    rows = list(selectors.desa_binaan_for_user(request.user).filter(is_active=True).order_by("-penetapan__tahun"))
    current = [r for r in rows if r.penetapan.tahun == tahun]
    if len(current) == 1:
        return redirect("binaan:detail", binaan_id=current[0].pk)
    return render(request, "binaan/index.html", {"rows": rows, "tahun": tahun})


@require_GET
@scoped(*ADMIN)
def penetapan_list(request: HttpRequest) -> HttpResponse:
    kabs = admin_kabupaten(request.user)
    rows = (
        Penetapan.objects.filter(kabupaten__in=kabs)
        .select_related("kabupaten")
        .annotate(jumlah_desa=Count("desa_binaan", filter=Q(desa_binaan__is_active=True)))
        .order_by("-tahun")
    )
    return render(
        request, "binaan/penetapan_list.html", {"rows": rows, "kabupaten": kabs, "tahun": timezone.localdate().year}
    )


@require_http_methods(["GET", "POST"])
@scoped(*ADMIN)
def penetapan_create(request: HttpRequest) -> HttpResponse:
    kabs = admin_kabupaten(request.user)
    if not kabs:
        raise PermissionDenied
    kabupaten = kabs[0]
    form = PenetapanForm(request.POST or None, request.FILES or None, initial={"tahun": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            p = services.penetapan_create(
                kabupaten=kabupaten,
                tahun=d["tahun"],
                nomor_sk=d["nomor_sk"],
                tanggal_sk=d["tanggal_sk"],
                scan_sk=d.get("scan_sk"),
                actor=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Penetapan desa binaan {p.tahun} tersimpan. Tambahkan desanya.")
            return redirect("binaan:penetapan", penetapan_id=p.pk)
    return render(
        request,
        "binaan/penetapan_form.html",
        {"form": form, "title": "Penetapan desa binaan baru", "back_url": reverse("binaan:penetapan_list")},
    )


def _penetapan_admin(request: HttpRequest, penetapan_id) -> Penetapan:
    p = selectors.get_penetapan_for_user(request.user, penetapan_id)
    if not selectors.may_designate(request.user, p.kabupaten):
        raise Http404
    return p


@require_GET
@scoped(*READ)
def penetapan_detail(request: HttpRequest, penetapan_id: int) -> HttpResponse:
    p = selectors.get_penetapan_for_user(request.user, penetapan_id)
    is_admin = selectors.may_designate(request.user, p.kabupaten)
    rows = selectors.desa_binaan_for_user(request.user).filter(penetapan=p).order_by("-is_active", "desa__path")
    ctx = {"p": p, "rows": rows, "is_admin": is_admin}
    if is_admin:
        ctx["tambah_form"] = DesaBinaanAddForm(user=request.user, kabupaten=p.kabupaten)
        ctx["pembina_form"] = PembinaForm(kabupaten=p.kabupaten)
        ctx["riwayat"] = p.riwayat.all()[:200]
    return render(request, "binaan/penetapan_detail.html", ctx)


@require_http_methods(["GET", "POST"])
@scoped(*ADMIN)
def penetapan_update(request: HttpRequest, penetapan_id: int) -> HttpResponse:
    p = _penetapan_admin(request, penetapan_id)
    initial = {"tahun": p.tahun, "nomor_sk": p.nomor_sk, "tanggal_sk": p.tanggal_sk}
    form = PenetapanForm(request.POST or None, request.FILES or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.penetapan_update(
                penetapan=p,
                nomor_sk=d["nomor_sk"],
                tanggal_sk=d["tanggal_sk"],
                scan_sk=d.get("scan_sk"),
                actor=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Penetapan tersimpan.")
            return redirect("binaan:penetapan", penetapan_id=p.pk)
    return render(
        request,
        "binaan/penetapan_form.html",
        {
            "form": form,
            "title": f"Ubah penetapan {p.tahun}",
            "back_url": reverse("binaan:penetapan", kwargs={"penetapan_id": p.pk}),
        },
    )


@require_GET
@scoped(*READ)
def penetapan_sk(request: HttpRequest, penetapan_id: int) -> HttpResponse:
    p = selectors.get_penetapan_for_user(request.user, penetapan_id)
    return _serve(p.scan_sk, download_name=f"SK-desa-binaan-{p.tahun}.pdf")


@require_POST
@scoped(*ADMIN)
def desa_binaan_add(request: HttpRequest, penetapan_id: int) -> HttpResponse:
    p = _penetapan_admin(request, penetapan_id)
    form = DesaBinaanAddForm(request.POST, user=request.user, kabupaten=p.kabupaten)
    if form.is_valid():
        try:
            db = services.desa_binaan_add(
                penetapan=p,
                desa=form.cleaned_data["desa"],
                pembina=form.cleaned_data.get("pembina"),
                actor=request.user,
            )
        except ValidationError as exc:
            for m in exc.messages:
                messages.error(request, m)
        else:
            messages.success(request, f"{db.desa.label} menjadi desa binaan {p.tahun}, pembina {db.pembina.label}.")
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for e in map(str, errors):
                messages.error(request, f"{label}: {e}" if label else e)
    return redirect("binaan:penetapan", penetapan_id=p.pk)


def _binaan_admin(request: HttpRequest, binaan_id) -> DesaBinaan:
    db = selectors.get_desa_binaan_for_user(request.user, binaan_id)
    if not selectors.may_designate(request.user, db.penetapan.kabupaten):
        raise Http404
    return db


@require_POST
@scoped(*ADMIN)
def desa_binaan_set_pembina(request: HttpRequest, binaan_id: int) -> HttpResponse:
    db = _binaan_admin(request, binaan_id)
    form = PembinaForm(request.POST, kabupaten=db.penetapan.kabupaten)
    if form.is_valid():
        try:
            services.desa_binaan_set_pembina(desa_binaan=db, pembina=form.cleaned_data["pembina"], actor=request.user)
        except ValidationError as exc:
            for m in exc.messages:
                messages.error(request, m)
        else:
            messages.success(request, f"Pembina {db.desa.label}: {db.pembina.label}.")
    else:
        messages.error(request, "Kecamatan pembina: " + " ".join(map(str, form.errors.get("pembina", []))))
    return redirect("binaan:penetapan", penetapan_id=db.penetapan_id)


@require_POST
@scoped(*ADMIN)
def desa_binaan_remove(request: HttpRequest, binaan_id: int) -> HttpResponse:
    db = _binaan_admin(request, binaan_id)
    services.desa_binaan_remove(desa_binaan=db, actor=request.user)
    messages.success(request, f"{db.desa.label} dikeluarkan dari desa binaan {db.penetapan.tahun}.")
    return redirect("binaan:penetapan", penetapan_id=db.penetapan_id)


# --------------------------------------------------------------------------- the desa binaan page


@require_GET
@scoped(*READ)
def detail(request: HttpRequest, binaan_id: int) -> HttpResponse:
    db = selectors.get_desa_binaan_for_user(request.user, binaan_id)
    today = timezone.localdate()
    kunjungan = selectors.kunjungan_for_user(request.user).filter(desa_binaan=db).order_by("-tanggal", "-pk")
    # Open first (by due date), then answered and waiting, then done.
    order: dict[str, int] = {
        TindakLanjut.Status.TERBUKA: 0,
        TindakLanjut.Status.DIJAWAB: 1,
        TindakLanjut.Status.SELESAI: 2,
    }
    tindak_lanjut = sorted(
        selectors.tindak_lanjut_for_user(request.user).filter(desa_binaan=db).select_related("kunjungan"),
        key=lambda t: (order[t.status], t.batas_waktu, t.pk),
    )
    from .progress import progress_for

    ctx = {
        "db": db,
        "today": today,
        "kunjungan": kunjungan,
        "tindak_lanjut": tindak_lanjut,
        "may_visit": selectors.may_visit(request.user, db),
        "is_desa": selectors.is_desa_of(request.user, db),
        "baru_form": KunjunganBaruForm(initial={"tanggal": min(today, dt.date(db.penetapan.tahun, 12, 31))}),
        "progress": progress_for(db, today=today),
        "tahun_lain": selectors.desa_binaan_for_user(request.user)
        .filter(desa=db.desa, is_active=True)
        .exclude(pk=db.pk)
        .order_by("-penetapan__tahun"),
    }
    return render(request, "binaan/detail.html", ctx)


# --------------------------------------------------------------------------- visits


@require_POST
@scoped(*PEMBINA)
def kunjungan_create(request: HttpRequest, binaan_id: int) -> HttpResponse:
    db = selectors.get_desa_binaan_for_user(request.user, binaan_id)
    if not selectors.may_visit(request.user, db):
        raise Http404
    form = KunjunganBaruForm(request.POST)
    if not form.is_valid():
        for e in form.errors.get("tanggal", []):
            messages.error(request, f"Tanggal kunjungan: {e}")
        return redirect("binaan:detail", binaan_id=db.pk)
    try:
        k = services.kunjungan_create(desa_binaan=db, tanggal=form.cleaned_data["tanggal"], actor=request.user)
    except ValidationError as exc:
        for m in exc.messages:
            messages.error(request, m)
        return redirect("binaan:detail", binaan_id=db.pk)
    messages.info(request, "Draf kunjungan dibuat. Isi temuan, simpan draf kapan saja, selesaikan nanti.")
    return redirect("binaan:kunjungan", kunjungan_id=k.pk)


def _kunjungan_form(request: HttpRequest, k: Kunjungan, data=None) -> KunjunganForm:
    return KunjunganForm(
        data, kunjungan=k, tim_qs=selectors.tim_choices(k.desa_binaan), earlier=selectors.open_tindak_lanjut_before(k)
    )


@require_http_methods(["GET", "POST"])
@scoped(*READ)
def kunjungan(request: HttpRequest, kunjungan_id: int) -> HttpResponse:
    k = selectors.get_kunjungan_for_user(request.user, kunjungan_id)
    db = k.desa_binaan
    editable = k.is_draft and selectors.may_visit(request.user, db)
    if request.method == "POST" and not editable:
        if not selectors.may_visit(request.user, db):
            raise PermissionDenied
        messages.error(request, "Kunjungan ini sudah selesai dan tidak dapat diubah lagi.")
        return redirect("binaan:kunjungan", kunjungan_id=k.pk)
    ctx: dict = {
        "k": k,
        "db": db,
        "editable": editable,
        "may_visit": selectors.may_visit(request.user, db),
        "today": timezone.localdate(),
    }
    if editable:
        form = _kunjungan_form(request, k, request.POST or None)
        if request.method == "POST" and form.is_valid():
            selesai = request.POST.get("aksi") == "selesai"
            try:
                services.kunjungan_save(kunjungan=k, data=form.to_data(), actor=request.user, selesai=selesai)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                if selesai:
                    messages.success(
                        request, "Kunjungan selesai dan tersimpan. Tindak lanjutnya kini terlihat oleh desa."
                    )
                    return _saved(request, reverse("binaan:kunjungan", kwargs={"kunjungan_id": k.pk}))
                messages.success(request, "Draf kunjungan tersimpan. Anda dapat melanjutkannya nanti.")
                return _saved(request, reverse("binaan:kunjungan", kwargs={"kunjungan_id": k.pk}))
        ctx.update({"form": form, "foto_form": FotoForm()})
    ctx["foto"] = list(k.foto.all())
    ctx["fokus"] = list(k.fokus.all())
    ctx["buku"] = list(k.buku.all())
    ctx["tindak_lanjut"] = list(k.tindak_lanjut.all())
    ctx["ditandai"] = list(k.tindak_lanjut_selesai.all())
    return render(request, "binaan/kunjungan.html", ctx)


def _kunjungan_pembina(request: HttpRequest, kunjungan_id) -> Kunjungan:
    k = selectors.get_kunjungan_for_user(request.user, kunjungan_id)
    if not selectors.may_visit(request.user, k.desa_binaan):
        raise Http404
    return k


@require_POST
@scoped(*PEMBINA)
def kunjungan_delete(request: HttpRequest, kunjungan_id: int) -> HttpResponse:
    k = _kunjungan_pembina(request, kunjungan_id)
    if request.POST.get("yakin") != "1":
        messages.error(request, "Centang \u201cYa, hapus draf ini\u201d untuk menghapus draf kunjungan.")
        return redirect("binaan:kunjungan", kunjungan_id=k.pk)
    try:
        services.kunjungan_delete(kunjungan=k, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("binaan:kunjungan", kunjungan_id=k.pk)
    messages.success(request, "Draf kunjungan dan fotonya dihapus.")
    return redirect("binaan:detail", binaan_id=k.desa_binaan_id)


@require_POST
@scoped(*PEMBINA)
def foto_upload(request: HttpRequest, kunjungan_id: int) -> HttpResponse:
    k = _kunjungan_pembina(request, kunjungan_id)
    form = FotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            for content in form.cleaned_data["foto"]:
                services.kunjungan_foto_add(
                    kunjungan=k,
                    content=content,
                    name=content.name,
                    keterangan=form.cleaned_data.get("keterangan") or "",
                    actor=request.user,
                )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            n = len(form.cleaned_data["foto"])
            messages.success(request, "Foto tersimpan." if n == 1 else f"{n} foto tersimpan.")
    else:
        for e in map(str, [*form.errors.get("foto", []), *form.errors.get("keterangan", [])]):
            messages.error(request, e if e.startswith("Foto") else f"Foto: {e}")
    return redirect(reverse("binaan:kunjungan", kwargs={"kunjungan_id": k.pk}) + "#foto")


@require_GET
@scoped(*READ)
def foto(request: HttpRequest, kunjungan_foto_id: int) -> HttpResponse:
    f = selectors.get_foto_for_user(request.user, kunjungan_foto_id)
    return _serve(f.file, download_name=f"foto-kunjungan-{f.kunjungan_id}-{f.pk}.jpg")


@require_POST
@scoped(*PEMBINA)
def foto_delete(request: HttpRequest, kunjungan_foto_id: int) -> HttpResponse:
    f = selectors.get_foto_for_user(request.user, kunjungan_foto_id)
    if not selectors.may_visit(request.user, f.kunjungan.desa_binaan):
        raise Http404
    try:
        services.kunjungan_foto_delete(foto=f, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Foto dihapus.")
    return redirect(reverse("binaan:kunjungan", kwargs={"kunjungan_id": f.kunjungan_id}) + "#foto")


# --------------------------------------------------------------------------- follow-ups


@require_http_methods(["GET", "POST"])
@scoped(*DESA)
def tindak_lanjut_answer(request: HttpRequest, tindak_lanjut_id: int) -> HttpResponse:
    tl = selectors.get_tindak_lanjut_for_user(request.user, tindak_lanjut_id)
    if not selectors.is_desa_of(request.user, tl.desa_binaan):
        raise Http404
    form = TindakLanjutAnswerForm(
        request.POST or None,
        request.FILES or None,
        initial={"tanggal": timezone.localdate(), "catatan": tl.jawaban_catatan},
    )
    if tl.status == TindakLanjut.Status.SELESAI:
        messages.info(request, "Tindak lanjut ini sudah selesai.")
        return redirect("binaan:detail", binaan_id=tl.desa_binaan_id)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.tindak_lanjut_answer(
                tindak_lanjut=tl,
                catatan=d["catatan"],
                tanggal=d["tanggal"],
                foto=d.get("foto"),
                foto_name="jawaban.jpg",
                actor=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Jawaban terkirim. Pembina kecamatan akan mengonfirmasi.")
            return redirect("binaan:detail", binaan_id=tl.desa_binaan_id)
    return render(request, "binaan/jawab.html", {"tl": tl, "form": form})


def _tl_pembina(request: HttpRequest, tindak_lanjut_id) -> TindakLanjut:
    tl = selectors.get_tindak_lanjut_for_user(request.user, tindak_lanjut_id)
    if not selectors.may_visit(request.user, tl.desa_binaan):
        raise Http404
    return tl


@require_POST
@scoped(*PEMBINA)
def tindak_lanjut_confirm(request: HttpRequest, tindak_lanjut_id: int) -> HttpResponse:
    tl = _tl_pembina(request, tindak_lanjut_id)
    services.tindak_lanjut_confirm(tindak_lanjut=tl, actor=request.user, catatan=request.POST.get("catatan", "")[:500])
    messages.success(request, f"Tindak lanjut \u201c{tl.apa}\u201d dikonfirmasi selesai.")
    if request.POST.get("next_kunjungan"):  # confirmed from the visit's own page: back there
        return redirect("binaan:kunjungan", kunjungan_id=tl.kunjungan_id)
    return redirect("binaan:detail", binaan_id=tl.desa_binaan_id)


@require_POST
@scoped(*PEMBINA)
def tindak_lanjut_reopen(request: HttpRequest, tindak_lanjut_id: int) -> HttpResponse:
    tl = _tl_pembina(request, tindak_lanjut_id)
    form = TindakLanjutReopenForm(request.POST)
    if form.is_valid():
        try:
            services.tindak_lanjut_reopen(tindak_lanjut=tl, actor=request.user, alasan=form.cleaned_data["alasan"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"Tindak lanjut \u201c{tl.apa}\u201d dibuka kembali.")
    else:
        messages.error(request, "Alasan dibuka kembali: " + " ".join(map(str, form.errors.get("alasan", []))))
    return redirect("binaan:detail", binaan_id=tl.desa_binaan_id)


@require_GET
@scoped(*READ)
def tindak_lanjut_foto(request: HttpRequest, tindak_lanjut_id: int) -> HttpResponse:
    tl = selectors.get_tindak_lanjut_for_user(request.user, tindak_lanjut_id)
    return _serve(tl.jawaban_foto, download_name=f"jawaban-tindak-lanjut-{tl.pk}.jpg")


# --------------------------------------------------------------------------- overview (kecamatan, kabupaten)


def _overview(request: HttpRequest, tahun: int):
    """The desa binaan of ``tahun`` the user oversees: a pembina its kecamatan's, an admin its kabupaten's
    (by kecamatan). Scope comes from the user's own assignments, never from the URL."""
    from .progress import rows_for

    user = request.user
    kabs = admin_kabupaten(user)
    qs = DesaBinaan.objects.filter(penetapan__tahun=tahun, is_active=True).select_related(
        "desa", "pembina", "penetapan"
    )
    if kabs:
        qs = qs.filter(penetapan__kabupaten__in=kabs)
        level, units = "kabupaten", kabs
    else:
        units = [a.unit for a in assignments(user) if a.role == Role.PEMBINA_KECAMATAN]
        qs = qs.filter(pembina__in=units)
        level = "kecamatan"
    binaan = sorted(qs, key=lambda db: (db.pembina.name, db.desa.name))
    rows = rows_for(binaan, today=timezone.localdate())
    return level, units, rows


def _tahun_ok(tahun: int) -> int:
    if not 2000 <= int(tahun) <= 2100:
        raise Http404
    return int(tahun)


@require_GET
@scoped(Role.PEMBINA_KECAMATAN, Role.ADMIN_KABUPATEN)
def ringkasan(request: HttpRequest, tahun: int) -> HttpResponse:
    from .charts import status_chart
    from .progress import STATUS_ORDER

    tahun = _tahun_ok(tahun)
    level, units, rows = _overview(request, tahun)
    groups: dict[str, dict[str, int]] = {}
    for row in rows:
        counts = groups.setdefault(row.db.pembina.name, {})
        counts[row.status] = counts.get(row.status, 0) + 1
    if level == "kabupaten":
        chart = status_chart(sorted(groups.items()), id="status-binaan", title=f"Status desa binaan {tahun}")
    else:
        total: dict[str, int] = {}
        for row in rows:
            total[row.status] = total.get(row.status, 0) + 1
        chart = status_chart([("Semua desa binaan", total)], id="status-binaan", title=f"Status desa binaan {tahun}")
    today = timezone.localdate()
    penetapan = Penetapan.objects.filter(
        tahun=tahun, kabupaten__in=[u for u in units if u.level == Level.KABUPATEN] or [u.parent_id for u in units]
    ).first()
    ctx = {
        "tahun": tahun,
        "level": level,
        "units": units,
        "rows": rows,
        "chart": chart,
        "penetapan": penetapan,
        "years": list(range(today.year, today.year - 4, -1)),
        "worst_first": sorted(rows, key=lambda r: (-STATUS_ORDER[r.status], r.db.desa.name)),
    }
    return render(request, "binaan/ringkasan.html", ctx)


@require_GET
@scoped(Role.PEMBINA_KECAMATAN, Role.ADMIN_KABUPATEN)
def ringkasan_xlsx(request: HttpRequest, tahun: int) -> HttpResponse:
    from reporting.excel import XLSX_MIME

    from .excel import overview_xlsx

    tahun = _tahun_ok(tahun)
    level, units, rows = _overview(request, tahun)
    names = ", ".join(u.label for u in units) or "-"
    data = overview_xlsx(title=f"REKAP DESA BINAAN TAHUN {tahun}", subtitle=names, rows=rows, dibuat=timezone.now())
    response = HttpResponse(data, content_type=XLSX_MIME)
    response["Content-Disposition"] = f'attachment; filename="desa-binaan-{level}-{tahun}.xlsx"'
    return response

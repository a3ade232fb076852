"""Every check of issue 3 on the services, with the Indonesian message naming the field."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from dasawisma import selectors, services
from dasawisma.models import DasawismaChange, Kehamilan, Riwayat, RumahTangga, Warga

from .factories import RT_DATA, make_rt, make_warga, nik_for, no_kk, warga_data

TODAY = dt.date.today()
JAN1 = TODAY.replace(month=1, day=1)


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


# --- rumah tangga -----------------------------------------------------------------------------------------


def test_rumah_tangga_create_audits_and_writes_outbox(tree):
    rt = make_rt(tree.mawar, tree.kader)
    assert rt.version == 1 and rt.dasawisma_id == tree.mawar.pk
    r = Riwayat.objects.get(model="rumah_tangga", object_id=rt.pk)
    assert r.aksi == "buat" and r.actor == tree.kader and r.changes["alamat"] == [None, "Jl. Mawar 1"]
    change = DasawismaChange.objects.get()
    assert change.dasawisma_id == tree.mawar.pk and change.since == JAN1


def test_rumah_tangga_needs_a_sumber_air(tree):
    data = {**RT_DATA, "sumber_air_sumur": False}
    with pytest.raises(ValidationError) as e:
        services.rumah_tangga_create(dasawisma=tree.mawar, data=data, actor=tree.kader)
    assert "Sumber air" in errors_of(e)["sumber_air"][0]
    assert not RumahTangga.objects.exists() and not DasawismaChange.objects.exists()


def test_rumah_tangga_only_under_a_dasawisma(tree):
    with pytest.raises(ValidationError):
        services.rumah_tangga_create(dasawisma=tree.rt1, data=RT_DATA, actor=tree.desa)


def test_rumah_tangga_update_records_before_after(household, tree):
    rt = household["rt"]
    services.rumah_tangga_update(
        rumah_tangga=rt, data={**RT_DATA, "alamat": "Jl. Baru 2", "spal": False}, version=rt.version, actor=tree.kader
    )
    rt.refresh_from_db()
    assert rt.alamat == "Jl. Baru 2" and rt.version == 3  # create, kepala_set, update
    r = Riwayat.objects.filter(model="rumah_tangga", object_id=rt.pk, aksi="ubah").first()
    assert r.changes == {"alamat": ["Jl. Mawar 1", "Jl. Baru 2"], "spal": [True, False]}


# --- optimistic concurrency -----------------------------------------------------------------------------


def test_stale_version_is_refused_and_nothing_is_lost(household, tree):
    first = Warga.objects.get(pk=household["siti"].pk)
    second = Warga.objects.get(pk=household["siti"].pk)
    services.warga_update(warga=first, data={"pekerjaan": "Guru"}, version=first.version, actor=tree.kader)
    with pytest.raises(services.ConflictError) as e:
        services.warga_update(warga=second, data={"pekerjaan": "Pedagang"}, version=second.version, actor=tree.desa)
    assert "sudah diubah oleh pengguna lain" in e.value.message
    assert e.value.current.pekerjaan == "Guru"
    assert Warga.objects.get(pk=first.pk).pekerjaan == "Guru"


def test_update_where_version_catches_a_race(household, tree):
    """The row changed between reading and writing although the object's version looked current."""
    w = Warga.objects.get(pk=household["siti"].pk)
    Warga.objects.filter(pk=w.pk).update(version=w.version + 1, pekerjaan="Bidan")
    with pytest.raises(services.ConflictError):
        services.warga_update(warga=w, data={"pekerjaan": "Pedagang"}, version=w.version, actor=tree.kader)
    assert Warga.objects.get(pk=w.pk).pekerjaan == "Bidan"
    assert not Riwayat.objects.filter(model="warga", object_id=w.pk, aksi="ubah").exists()


def test_stale_rumah_tangga_and_kehamilan(household, tree):
    rt = household["rt"]
    with pytest.raises(services.ConflictError):
        services.rumah_tangga_update(rumah_tangga=rt, data=RT_DATA, version=rt.version - 1, actor=tree.kader)
    k = services.kehamilan_create(
        warga=household["siti"], data={"tanggal_mulai": TODAY - dt.timedelta(days=30)}, actor=tree.kader
    )
    with pytest.raises(services.ConflictError):
        services.kehamilan_end(
            kehamilan=k, tanggal_selesai=TODAY, hasil="keguguran", version=k.version + 1, actor=tree.kader
        )


# --- warga: NIK and No. KK ------------------------------------------------------------------------------


def test_nik_must_have_16_digits(household, tree):
    with pytest.raises(ValidationError) as e:
        make_warga(household["rt"], tree.kader, nik="330610170590001")
    assert errors_of(e)["nik"] == ["NIK harus 16 angka (tertulis 15 karakter)."]


def test_nik_spaces_and_dots_are_normalised(household, tree):
    nik = nik_for(dt.date(1990, 5, 17), "P")
    w = make_warga(household["rt"], tree.kader, nik=f"{nik[:4]} {nik[4:8]}.{nik[8:]}")
    assert w.nik == nik


def test_nik_optional(household, tree):
    w = make_warga(household["rt"], tree.kader, nik="")
    assert w.nik is None


def test_no_kk_must_have_16_digits(household, tree):
    with pytest.raises(ValidationError) as e:
        services.warga_create(rumah_tangga=household["rt"], no_kk="12345", data=warga_data(), actor=tree.kader)
    assert "No. KK harus 16 angka" in errors_of(e)["no_kk"][0]
    with pytest.raises(ValidationError) as e:
        services.keluarga_create(rumah_tangga=household["rt"], no_kk="33061001010000011", actor=tree.kader)
    assert "No. KK harus 16 angka" in errors_of(e)["no_kk"][0]


def test_duplicate_nik_in_scope_names_the_holder(household, tree):
    with pytest.raises(ValidationError) as e:
        make_warga(household["rt"], tree.kader, nik=household["siti"].nik)
    msg = errors_of(e)["nik"][0]
    assert "NIK sudah terdaftar" in msg and "Siti Aminah" in msg


def test_duplicate_nik_outside_scope_does_not_reveal_where(household, tree):
    rt_kp = make_rt(tree.kenanga, tree.kader_kp)
    with pytest.raises(ValidationError) as e:
        make_warga(rt_kp, tree.kader_kp, nik=household["siti"].nik)
    msg = errors_of(e)["nik"][0]
    assert msg.startswith("NIK sudah terdaftar untuk warga di wilayah lain")
    for secret in ("Siti", "Mawar", "Kaliboto", household["siti"].no_registrasi):
        assert secret not in msg


def test_duplicate_nik_on_update(household, tree):
    w = household["ani"]
    with pytest.raises(ValidationError) as e:
        services.warga_update(warga=w, data={"nik": household["budi"].nik}, version=w.version, actor=tree.kader)
    assert "NIK sudah terdaftar" in errors_of(e)["nik"][0]


def test_nik_mismatch_is_a_warning_not_a_refusal(household, tree):
    wrong = nik_for(dt.date(1991, 6, 18), "L")  # other date, other sex
    w = make_warga(household["rt"], tree.kader, nik=wrong, nama="Salah NIK")
    assert Warga.objects.filter(pk=w.pk).exists()
    from dasawisma.validators import nik_warnings

    assert len(nik_warnings(w.nik, w.tanggal_lahir, w.jenis_kelamin)) == 2
    # ... and the data-quality list finds it in SQL, only within scope.
    assert list(selectors.nik_mismatch(tree.desa).values_list("pk", flat=True)) == [w.pk]
    assert not selectors.nik_mismatch(tree.desa_kp).exists()
    assert list(selectors.nik_mismatch(tree.pembina).values_list("pk", flat=True)) == [w.pk]


def test_nik_sex_only_mismatch_found(household, tree):
    born = dt.date(1990, 5, 17)
    w = make_warga(household["rt"], tree.kader, nik=nik_for(born, "L"), tanggal_lahir=born, jenis_kelamin="P")
    assert list(selectors.nik_mismatch(tree.desa).values_list("pk", flat=True)) == [w.pk]


# --- warga: dates and flags -----------------------------------------------------------------------------


def test_tanggal_lahir_not_in_future(household, tree):
    with pytest.raises(ValidationError) as e:
        make_warga(household["rt"], tree.kader, tanggal_lahir=TODAY + dt.timedelta(days=1), nik="")
    assert errors_of(e)["tanggal_lahir"] == ["Tanggal lahir tidak boleh di masa depan."]


def test_tiga_buta_only_from_13(household, tree):
    born_12 = TODAY.replace(year=TODAY.year - 12) - dt.timedelta(days=200)
    with pytest.raises(ValidationError) as e:
        make_warga(household["rt"], tree.kader, tanggal_lahir=born_12, tiga_buta=True, nik="")
    assert "Tiga buta hanya untuk warga berumur 13 tahun" in errors_of(e)["tiga_buta"][0]
    born_14 = TODAY.replace(year=TODAY.year - 14) - dt.timedelta(days=2)
    assert make_warga(household["rt"], tree.kader, tanggal_lahir=born_14, tiga_buta=True, nik="").tiga_buta


def test_menyusui_only_for_women(household, tree):
    with pytest.raises(ValidationError) as e:
        make_warga(household["rt"], tree.kader, jenis_kelamin="L", menyusui=True, nik="")
    assert "menyusui" in errors_of(e)["menyusui"][0].lower()


def test_jenis_kb_cleared_without_akseptor(household, tree):
    w = make_warga(household["rt"], tree.kader, akseptor_kb=False, jenis_kb="Pil", nik="")
    assert w.jenis_kb == ""


def test_no_registrasi_generated_and_unique(household, tree):
    regs = [household[k].no_registrasi for k in ("budi", "siti", "ani")]
    prefix = f"3306162006{TODAY.year}"
    assert all(r.startswith(prefix) for r in regs)
    assert len(set(regs)) == 3
    assert sorted(int(r[len(prefix) :]) for r in regs) == [1, 2, 3]


def test_warga_create_audits_and_outbox_since_birth(household, tree):
    DasawismaChange.objects.all().delete()
    w = make_warga(household["rt"], tree.kader, tanggal_lahir=dt.date(1970, 2, 3), nik="")
    r = Riwayat.objects.get(model="warga", object_id=w.pk)
    assert r.aksi == "buat" and r.changes["nama"] == [None, "Siti Aminah"]
    assert DasawismaChange.objects.get().since == dt.date(1970, 2, 3)


def test_warga_update_history_and_since(household, tree):
    w = household["ani"]
    DasawismaChange.objects.all().delete()
    old_birth = w.tanggal_lahir
    new_birth = old_birth - dt.timedelta(days=400)
    services.warga_update(
        warga=w, data={"tanggal_lahir": new_birth, "pekerjaan": "Pelajar"}, version=w.version, actor=tree.desa
    )
    r = Riwayat.objects.filter(model="warga", object_id=w.pk, aksi="ubah").get()
    assert r.actor == tree.desa
    assert r.changes["tanggal_lahir"] == [old_birth.isoformat(), new_birth.isoformat()]
    assert r.changes["pekerjaan"] == ["Petani", "Pelajar"]
    assert DasawismaChange.objects.get().since == new_birth


def test_warga_keluarga_must_belong_to_household(household, tree):
    other = make_rt(tree.mawar, tree.kader)
    make_warga(other, tree.kader, nik="")
    with pytest.raises(ValidationError) as e:
        services.warga_create(
            rumah_tangga=household["rt"], keluarga=other.keluarga.get(), data=warga_data(nik=""), actor=tree.kader
        )
    assert "Keluarga" in errors_of(e)["keluarga"][0]


def test_ibu_must_be_a_woman_born_before(household, tree):
    with pytest.raises(ValidationError) as e:
        make_warga(household["rt"], tree.kader, ibu=household["budi"], nik="", tanggal_lahir=dt.date(2020, 1, 1))
    assert errors_of(e)["ibu"] == ["Ibu harus warga perempuan."]
    with pytest.raises(ValidationError) as e:
        make_warga(household["rt"], tree.kader, ibu=household["ani"], nik="", tanggal_lahir=dt.date(2000, 1, 1))
    assert errors_of(e)["ibu"] == ["Ibu harus lahir sebelum anaknya."]


# --- death and moving away ------------------------------------------------------------------------------


def test_meninggal(household, tree):
    w = household["siti"]
    DasawismaChange.objects.all().delete()
    day = TODAY - dt.timedelta(days=3)
    services.warga_die(warga=w, tanggal=day, sebab="Sakit", version=w.version, actor=tree.kader)
    w.refresh_from_db()
    assert w.tanggal_meninggal == day and w.sebab_meninggal == "Sakit"
    assert Warga.objects.filter(pk=w.pk).exists()  # nothing is deleted
    assert DasawismaChange.objects.get().since == day  # sebab is a fact of that day's period too
    with pytest.raises(ValidationError) as e:
        services.warga_die(warga=w, tanggal=day, version=w.version, actor=tree.kader)
    assert "sudah tercatat meninggal" in e.value.messages[0]


def test_meninggal_dates_checked(household, tree):
    w = household["siti"]
    with pytest.raises(ValidationError) as e:
        services.warga_die(warga=w, tanggal=w.tanggal_lahir - dt.timedelta(days=1), version=w.version, actor=tree.kader)
    assert errors_of(e)["tanggal_meninggal"][0].startswith("Tanggal meninggal tidak boleh sebelum tanggal lahir")
    w.refresh_from_db()
    with pytest.raises(ValidationError) as e:
        services.warga_die(warga=w, tanggal=TODAY + dt.timedelta(days=1), version=w.version, actor=tree.kader)
    assert errors_of(e)["tanggal_meninggal"] == ["Tanggal meninggal tidak boleh di masa depan."]


def test_pindah(household, tree):
    w = household["ani"]
    with pytest.raises(ValidationError) as e:
        services.warga_move(
            warga=w, tanggal=w.tanggal_lahir - dt.timedelta(days=1), version=w.version, actor=tree.kader
        )
    assert "Tanggal pindah tidak boleh sebelum tanggal lahir" in errors_of(e)["tanggal_pindah"][0]
    w.refresh_from_db()
    services.warga_move(warga=w, tanggal=TODAY, version=w.version, actor=tree.kader)
    w.refresh_from_db()
    assert w.tanggal_pindah == TODAY and w.version == 2


# --- kepala rumah tangga --------------------------------------------------------------------------------


def test_exactly_one_kepala(household, tree):
    rt = household["rt"]
    assert rt.kepala_id == household["budi"].pk
    services.kepala_set(rumah_tangga=rt, warga=household["siti"], version=rt.version, actor=tree.kader)
    rt.refresh_from_db()
    assert rt.kepala_id == household["siti"].pk
    r = Riwayat.objects.filter(model="rumah_tangga", object_id=rt.pk).first()
    assert r.changes == {"kepala": ["Budi Santoso", "Siti Aminah"]}


def test_kepala_from_this_household_and_active(household, tree):
    rt = household["rt"]
    other = make_rt(tree.mawar, tree.kader)
    stranger = make_warga(other, tree.kader, nik="")
    with pytest.raises(ValidationError) as e:
        services.kepala_set(rumah_tangga=rt, warga=stranger, version=rt.version, actor=tree.kader)
    assert errors_of(e)["kepala"] == ["Kepala rumah tangga harus warga dari rumah tangga ini."]
    siti = household["siti"]
    services.warga_die(warga=siti, tanggal=TODAY, version=siti.version, actor=tree.kader)
    siti.refresh_from_db()
    with pytest.raises(ValidationError) as e:
        services.kepala_set(rumah_tangga=rt, warga=siti, version=rt.version, actor=tree.kader)
    assert "masih tinggal" in errors_of(e)["kepala"][0]


def test_household_without_active_kepala_listed(household, tree):
    budi = household["budi"]
    services.warga_move(warga=budi, tanggal=TODAY, version=budi.version, actor=tree.kader)
    assert list(selectors.tanpa_kepala(tree.desa)) == [household["rt"]]
    assert not selectors.tanpa_kepala(tree.kader_kp).exists()


# --- kehamilan ------------------------------------------------------------------------------------------


def test_kehamilan_only_for_women(household, tree):
    with pytest.raises(ValidationError) as e:
        services.kehamilan_create(warga=household["budi"], data={"tanggal_mulai": TODAY}, actor=tree.kader)
    assert e.value.message_dict["__all__"] == ["Kehamilan hanya dapat dicatat untuk warga perempuan."]


def test_kehamilan_only_at_child_bearing_age(household, tree):
    with pytest.raises(ValidationError) as e:
        services.kehamilan_create(warga=household["ani"], data={"tanggal_mulai": TODAY}, actor=tree.kader)
    assert "usia subur" in errors_of(e)["tanggal_mulai"][0]
    old = make_warga(household["rt"], tree.kader, tanggal_lahir=dt.date(1950, 1, 1), nik="")
    with pytest.raises(ValidationError):
        services.kehamilan_create(warga=old, data={"tanggal_mulai": TODAY}, actor=tree.kader)


def test_kehamilan_dates(household, tree):
    siti = household["siti"]
    with pytest.raises(ValidationError) as e:
        services.kehamilan_create(warga=siti, data={"tanggal_mulai": TODAY + dt.timedelta(days=1)}, actor=tree.kader)
    assert errors_of(e)["tanggal_mulai"] == ["Tanggal mulai tidak boleh di masa depan."]
    with pytest.raises(ValidationError) as e:
        services.kehamilan_create(
            warga=siti, data={"tanggal_mulai": TODAY, "hpl": TODAY - dt.timedelta(days=1)}, actor=tree.kader
        )
    assert "HPL" in errors_of(e)["hpl"][0]


def test_kehamilan_no_overlap_and_end_after_start(household, tree):
    siti = household["siti"]
    start = TODAY - dt.timedelta(days=100)
    k = services.kehamilan_create(warga=siti, data={"tanggal_mulai": start, "kek": True}, actor=tree.kader)
    assert Riwayat.objects.filter(model="kehamilan", object_id=k.pk, aksi="buat").exists()
    with pytest.raises(ValidationError) as e:
        services.kehamilan_create(warga=siti, data={"tanggal_mulai": TODAY}, actor=tree.kader)
    assert "masih tercatat hamil" in errors_of(e)["tanggal_mulai"][0]
    with pytest.raises(ValidationError) as e:
        services.kehamilan_end(
            kehamilan=k,
            tanggal_selesai=start - dt.timedelta(days=1),
            hasil="keguguran",
            version=k.version,
            actor=tree.kader,
        )
    assert errors_of(e)["tanggal_selesai"] == ["Tanggal selesai tidak boleh sebelum tanggal mulai."]
    k = Kehamilan.objects.get(pk=k.pk)
    DasawismaChange.objects.all().delete()
    services.kehamilan_end(
        kehamilan=k,
        tanggal_selesai=TODAY - dt.timedelta(days=10),
        hasil="lahir_hidup",
        version=k.version,
        actor=tree.kader,
    )
    assert DasawismaChange.objects.get().since == start
    k.refresh_from_db()
    assert k.hasil == "lahir_hidup" and k.version == 2
    # a pregnancy inside the ended one overlaps; one after it is fine
    with pytest.raises(ValidationError):
        services.kehamilan_create(warga=siti, data={"tanggal_mulai": start + dt.timedelta(days=5)}, actor=tree.kader)
    k2 = services.kehamilan_create(warga=siti, data={"tanggal_mulai": TODAY}, actor=tree.kader)
    assert k2.pk
    with pytest.raises(ValidationError) as e:
        services.kehamilan_end(
            kehamilan=k, tanggal_selesai=TODAY, hasil="keguguran", version=k.version, actor=tree.kader
        )
    assert "sudah selesai" in e.value.messages[0]


def test_kehamilan_update_and_long_open_list(household, tree):
    siti = household["siti"]
    k = services.kehamilan_create(warga=siti, data={"tanggal_mulai": TODAY - dt.timedelta(days=30)}, actor=tree.kader)
    assert not selectors.hamil_lama(tree.desa).exists()
    services.kehamilan_update(
        kehamilan=k,
        data={"tanggal_mulai": TODAY - dt.timedelta(days=320), "hpl": None, "kek": None},
        version=k.version,
        actor=tree.kader,
    )
    assert list(selectors.hamil_lama(tree.desa)) == [k]
    assert list(selectors.hamil_lama(tree.pembina)) == [k]
    assert not selectors.hamil_lama(tree.pembina_grabag).exists()
    r = Riwayat.objects.filter(model="kehamilan", object_id=k.pk, aksi="ubah").get()
    assert "tanggal_mulai" in r.changes


def test_kehamilan_of_woman_who_left(household, tree):
    siti = household["siti"]
    services.kehamilan_create(warga=siti, data={"tanggal_mulai": TODAY - dt.timedelta(days=30)}, actor=tree.kader)
    siti.refresh_from_db()
    services.warga_move(warga=siti, tanggal=TODAY, version=siti.version, actor=tree.kader)
    assert selectors.hamil_ibu_keluar(tree.desa).count() == 1
    siti.refresh_from_db()
    with pytest.raises(ValidationError) as e:
        services.kehamilan_create(warga=siti, data={"tanggal_mulai": TODAY}, actor=tree.kader)
    assert "masih tercatat hamil" in errors_of(e)["tanggal_mulai"][0]


def test_keluarga_create_no_duplicate(household, tree):
    kk = household["keluarga"].no_kk
    with pytest.raises(ValidationError) as e:
        services.keluarga_create(rumah_tangga=household["rt"], no_kk=kk, actor=tree.kader)
    assert "sudah tercatat" in errors_of(e)["no_kk"][0]
    k = services.keluarga_create(rumah_tangga=household["rt"], no_kk=no_kk(), actor=tree.kader)
    assert Riwayat.objects.filter(model="keluarga", object_id=k.pk).exists()


def test_data_quality_other_checks(household, tree):
    empty = make_rt(tree.mawar, tree.kader)
    assert list(selectors.rumah_tangga_kosong(tree.desa)) == [empty]
    # tiga buta on a child can only come from old data (the services refuse it)
    Warga.objects.filter(pk=household["ani"].pk).update(tiga_buta=True)
    assert list(selectors.tiga_buta_anak(tree.desa)) == [household["ani"]]


def test_first_warga_as_kepala_with_a_stale_household_object(tree):
    rt = make_rt(tree.mawar, tree.kader)
    stale = RumahTangga.objects.get(pk=rt.pk)
    services.rumah_tangga_update(
        rumah_tangga=rt, data={**RT_DATA, "alamat": "Baru"}, version=rt.version, actor=tree.desa
    )
    w = make_warga(stale, tree.kader, kepala=True, nik="")
    rt.refresh_from_db()
    assert rt.kepala_id == w.pk and rt.alamat == "Baru"

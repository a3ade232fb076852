"""Issue 12: two users recording a pregnancy for the same woman at the same moment saved two open,
overlapping pregnancies (10 of 10 races). The service locks the warga row and the database holds at most
one open pregnancy per woman."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from dasawisma import services
from dasawisma.models import Kehamilan
from dasawisma.services import kehamilan as kehamilan_services
from tests.dasawisma.factories import make_rt, make_warga


@pytest.fixture
def ibu(tree):
    rt = make_rt(tree.mawar, tree.kader)
    return make_warga(rt, tree.kader, nama="Siti", jenis_kelamin="P", tanggal_lahir=dt.date(1995, 8, 12))


def test_database_refuses_a_second_open_pregnancy(ibu):
    Kehamilan.objects.create(warga=ibu, dasawisma=ibu.dasawisma, tanggal_mulai=dt.date(2025, 1, 10))
    with pytest.raises(IntegrityError), transaction.atomic():
        Kehamilan.objects.create(warga=ibu, dasawisma=ibu.dasawisma, tanggal_mulai=dt.date(2025, 2, 10))
    # A finished one beside an open one is fine.
    Kehamilan.objects.create(
        warga=ibu, dasawisma=ibu.dasawisma, tanggal_mulai=dt.date(2023, 1, 1),
        tanggal_selesai=dt.date(2023, 9, 1), hasil="lahir_hidup",
    )  # fmt: skip
    assert Kehamilan.objects.filter(warga=ibu).count() == 2


def test_service_turns_the_index_into_a_field_message(ibu, tree, monkeypatch):
    """Even when the overlap check did not see the other save (the race), the answer is a message."""
    Kehamilan.objects.create(warga=ibu, dasawisma=ibu.dasawisma, tanggal_mulai=dt.date(2025, 1, 10))
    monkeypatch.setattr(kehamilan_services, "_validate_kehamilan", lambda k, today: None)
    monkeypatch.setattr(Kehamilan, "validate_constraints", lambda self, exclude=None: None)
    with pytest.raises(ValidationError) as e:
        services.kehamilan_create(warga=ibu, data={"tanggal_mulai": dt.date(2025, 2, 1)}, actor=tree.kader)
    assert e.value.message_dict["tanggal_mulai"] == [services.OPEN_PREGNANCY_MESSAGE]
    assert Kehamilan.objects.filter(warga=ibu).count() == 1


@pytest.mark.django_db(transaction=True)
def test_ten_races_leave_one_open_pregnancy_each(tree):
    if connection.vendor != "postgresql":
        pytest.skip("needs row locks and concurrent writers (PostgreSQL); SQLite serialises every write")
    rt = make_rt(tree.mawar, tree.kader)
    for round_ in range(10):
        ibu = make_warga(rt, tree.kader, nama=f"Ibu {round_}", jenis_kelamin="P", tanggal_lahir=dt.date(1995, 8, 12))
        barrier = threading.Barrier(2)
        outcomes: list[str] = []

        def record(start: dt.date, ibu=ibu, barrier=barrier, outcomes=outcomes):
            try:
                barrier.wait()
                services.kehamilan_create(warga=ibu, data={"tanggal_mulai": start}, actor=tree.kader)
                outcomes.append("saved")
            except ValidationError:
                outcomes.append("refused")
            finally:
                connection.close()

        threads = [
            threading.Thread(target=record, args=(dt.date(2025, 1, 10),)),
            threading.Thread(target=record, args=(dt.date(2025, 1, 12),)),
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(outcomes) == ["refused", "saved"], (round_, outcomes)
        assert Kehamilan.objects.filter(warga=ibu, tanggal_selesai__isnull=True).count() == 1

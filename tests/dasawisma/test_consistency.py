"""A warga carries its keluarga's rumah tangga and No. KK, and its rumah tangga's dasawisma.

The annual roll-up counts JML KK as the distinct keluarga of the active warga (reporting/rollup/sql.py), which
is DOMAIN.md's "distinct No. KK per rumah tangga" only under this rule. The services keep it on every
database; on PostgreSQL the composite foreign keys of migration dasawisma 0003 make the database refuse
anything else and carry corrections over.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from dasawisma import services
from dasawisma.models import Keluarga, RumahTangga, Warga

from .factories import make_rt, make_warga


def test_services_never_put_a_warga_in_another_households_keluarga(household, tree):
    other = make_rt(tree.mawar, tree.kader)
    make_warga(other, tree.kader, nik="")
    ani = household["ani"]
    with pytest.raises(ValidationError):
        services.warga_update(warga=ani, data={}, keluarga=other.keluarga.get(), version=ani.version, actor=tree.kader)
    ani.refresh_from_db()
    assert (ani.keluarga_id, ani.rumah_tangga_id) == (household["keluarga"].pk, household["rt"].pk)
    for w in Warga.objects.all():
        assert (w.no_kk, w.rumah_tangga_id) == (w.keluarga.no_kk, w.keluarga.rumah_tangga_id)
        assert w.dasawisma_id == w.rumah_tangga.dasawisma_id


@pytest.mark.postgres
def test_postgresql_refuses_an_inconsistent_warga_and_cascades_corrections(household, tree):
    if connection.vendor != "postgresql":
        pytest.skip("the composite foreign keys exist on PostgreSQL only (SQLite cannot add them)")
    ani, kel, rt = household["ani"], household["keluarga"], household["rt"]
    other = make_rt(tree.mawar, tree.kader)
    make_warga(other, tree.kader, nik="")

    with pytest.raises(IntegrityError), transaction.atomic():
        Warga.objects.filter(pk=ani.pk).update(no_kk="3306999999999999")
    with pytest.raises(IntegrityError), transaction.atomic():
        Warga.objects.filter(pk=ani.pk).update(keluarga=other.keluarga.get())
    with pytest.raises(IntegrityError), transaction.atomic():
        Warga.objects.filter(pk=ani.pk).update(dasawisma=tree.melati)

    Keluarga.objects.filter(pk=kel.pk).update(no_kk="3306101010100099")
    assert set(Warga.objects.filter(keluarga=kel).values_list("no_kk", flat=True)) == {"3306101010100099"}
    RumahTangga.objects.filter(pk=rt.pk).update(dasawisma=tree.melati)
    assert set(Warga.objects.filter(rumah_tangga=rt).values_list("dasawisma_id", flat=True)) == {tree.melati.pk}

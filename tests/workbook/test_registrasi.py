"""No. Registrasi: desa code digits + entry year + sequence; continues after the last number; needs a transaction."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.db import IntegrityError, transaction

from dasawisma.registrasi import allocate_registrasi, next_registrasi
from dasawisma.workbook import importer
from dasawisma.workbook.importer import workbook_import

from .conftest import counts

pytestmark = pytest.mark.django_db


def test_numbers_continue_after_the_last_one_of_the_desa_and_year(tree, book):
    assert workbook_import(source=book(), actor=tree.desa, today=None).ok  # draws ...00001 to ...00004
    year = dt.date.today().year
    with transaction.atomic():
        assert allocate_registrasi(desa=tree.kaliboto, count=2) == [
            f"3306162006{year}00005",
            f"3306162006{year}00006",
        ]
        assert next_registrasi(desa=tree.kaliboto, on=dt.date(2019, 5, 1)) == "3306162006201900001"
        assert next_registrasi(desa=tree.kedungpucang) == f"3306162004{year}00001"
        assert allocate_registrasi(desa=tree.kaliboto, count=0) == []


@pytest.mark.django_db(transaction=True)
def test_allocation_outside_a_transaction_is_refused(tree):
    with pytest.raises(RuntimeError):
        allocate_registrasi(desa=tree.kaliboto, count=1)


def test_a_clash_while_writing_is_reported_not_raised(tree, book):
    """A NIK saved by someone else between the checks and the write: the import answers, writes nothing."""
    before = counts()
    with mock.patch.object(importer, "_write", side_effect=IntegrityError("duplicate key")):
        result = workbook_import(source=book(), actor=tree.desa)
    assert not result.ok and "Coba lagi" in result.issues[0].reason
    assert counts() == before

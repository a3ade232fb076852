"""The reporting cycle, kept as one import for older callers.

The code now lives where STYLE.md puts it: writes in ``reporting.services`` (``laporan_*``, ``periode_*``),
scoped reads in ``reporting.selectors_cycle``, period helpers in ``reporting.periods``. See docs/cycle.md.
"""

from __future__ import annotations

from .periods import (  # noqa: F401
    BULAN_NAMA,
    deadline,
    is_future,
    normalize_periode,
    periode_end,
    periode_ended,
    periode_key,
    periode_label,
)
from .selectors_cycle import (  # noqa: F401
    LOCKER_ROLES,
    REPORTING_LEVELS,
    REVIEWER_ROLES,
    SUBMITTED,
    SUBMITTER_ROLES,
    UNLOCKER_ROLES,
    DueItem,
    KelengkapanRow,
    PeriodeStatus,
    can_review,
    can_submit,
    can_verify,
    desa_of,
    get_laporan_for_user,
    jatuh_tempo,
    kader_dasawisma,
    kelengkapan,
    label_places,
    laporan_counts,
    laporan_inbox,
    laporan_saya,
    pending_review_count,
    percent,
    periode_is_locked,
    periode_locks_of_year,
    periods_listed,
    periods_of,
    reviewer_q,
)
from .services import (  # noqa: F401
    laporan_accept,
    laporan_accept_many,
    laporan_reopen,
    laporan_return,
    laporan_submit,
    periode_lock,
    periode_unlock,
)

_is_future = is_future

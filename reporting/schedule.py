"""Celery beat schedule of reporting, merged into ``CELERY_BEAT_SCHEDULE`` by ``pkk/settings.py``.

Imported while settings load: no Django imports here.
"""

from celery.schedules import crontab

BEAT_SCHEDULE: dict[str, dict] = {
    # Lost or failed refresh tasks: outbox rows older than a minute.
    "reporting.sweep_outbox": {
        "task": "reporting.sweep_outbox",
        "schedule": 180.0,
        "options": {"expires": 170},
    },
    # Safety net: the current year and month, every unit, at night (CELERY_TIMEZONE, Asia/Jakarta).
    "reporting.rebuild_current": {
        "task": "reporting.rebuild_current",
        "schedule": crontab(hour=1, minute=30),
        "options": {"expires": 3 * 3600},
    },
    # Expired export files are deleted (the job row stays and says the file has expired).
    "reporting.cleanup_exports": {
        "task": "reporting.cleanup_exports",
        "schedule": crontab(minute=15),
        "options": {"expires": 3000},
    },
}

# SIPKK production image: one image for web (gunicorn), celery worker and celery beat (see docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=pkk.settings \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/app/media \
    PKK_PRIVATE_MEDIA_ROOT=/app/private

WORKDIR /app

# Dependencies first, so a code change does not reinstall them (psycopg[binary] brings its own libpq).
# Exactly the locked versions, each file checked against its hash; no test tools (requirements-dev.lock).
COPY requirements.lock .
RUN pip install --require-hashes -r requirements.lock

COPY . .

# Run as an unprivileged user; static, media, private uploads (photos, scans, workbooks) and the beat
# schedule are the only writable places. The folders exist in the image so that a new named volume mounted
# there starts owned by that user (a path missing from the image would give a root-owned volume).
RUN useradd --system --uid 1000 --home-dir /app --shell /usr/sbin/nologin sipkk \
    && mkdir -p /app/staticfiles /app/media /app/private /app/var \
    && chown -R sipkk:sipkk /app/staticfiles /app/media /app/private /app/var
USER sipkk

EXPOSE 8000
# docker-compose.yml gives each service its own command; this default runs the web server alone.
CMD ["gunicorn", "pkk.wsgi:application", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]

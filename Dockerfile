# The portal's production image: gunicorn serving Django, static files collected
# and compressed at build, messages compiled at build, run as a non-root user.
# Build: docker build -t ump-portal .   Run with compose.yaml (README, "Deploying").

# --- build stage: dependencies, compiled messages, collected static files ------
FROM python:3.11-slim AS build

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PATH=/opt/venv/bin:$PATH

# GNU gettext gives compilemessages its msgfmt; only this stage needs it.
RUN apt-get update \
    && apt-get install --yes --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*

# The pinned requirements first, so that a change to the code alone reuses this layer.
RUN python -m venv /opt/venv
COPY requirements.txt /tmp/requirements.txt
RUN pip install --requirement /tmp/requirements.txt

WORKDIR /app
COPY . .

# With DEBUG off the settings refuse to load without a secret and a host list;
# these two values exist only for these build commands and are not kept.
RUN DJANGO_SECRET_KEY=build-only-not-a-secret DJANGO_ALLOWED_HOSTS=build.invalid \
        python manage.py compilemessages \
    && DJANGO_SECRET_KEY=build-only-not-a-secret DJANGO_ALLOWED_HOSTS=build.invalid \
        python manage.py collectstatic --no-input \
    && python -m compileall -q /app

# --- runtime stage --------------------------------------------------------------
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=ump_portal.settings \
    DJANGO_MEDIA_ROOT=/app/media \
    PAGE_CACHE_STAMP_FILE=/tmp/page-cache-stamp \
    GUNICORN_BIND=0.0.0.0:8000

RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /app --no-create-home app

COPY --from=build /opt/venv /opt/venv
# The code belongs to root: the app user can read it, not change it. It writes
# only to the media folder (a volume in compose.yaml) and /tmp (the page cache's
# stamp file, PAGE_CACHE_STAMP_FILE above).
COPY --from=build /app /app
RUN mkdir -p /app/media && chown app:app /app/media

WORKDIR /app
USER app
EXPOSE 8000

# 200 only while the database answers (ump_portal/middleware/health.py); a 503 fails the check.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]

ENTRYPOINT ["/app/docker/entrypoint.sh"]
CMD ["gunicorn", "--config", "gunicorn.conf.py"]

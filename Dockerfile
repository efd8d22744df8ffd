# syntax=docker/dockerfile:1

# --- Stage 1: front-end packages from npm (needed by collectstatic only) ---
FROM node:20-bookworm-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

# --- Stage 2: runtime ---
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production

# WeasyPrint's libraries, fonts for PDF output, gettext for compilemessages.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
        fonts-dejavu-core fonts-liberation gettext \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 laget \
    && useradd --system --uid 10001 --gid laget --no-create-home \
        --home-dir /nonexistent --shell /usr/sbin/nologin laget

# Dependencies first, so a code change does not reinstall them.
COPY pyproject.toml /tmp/laget/
RUN pip install --no-cache-dir /tmp/laget && rm -rf /tmp/laget

WORKDIR /app
# The code stays owned by root: the app user can read it but not change it.
COPY . .

# Build-time only: the dummy SECRET_KEY/DATABASE_URL/ALLOWED_HOSTS exist just for these
# commands (nothing connects to a database) and are not stored in the image's environment.
RUN SECRET_KEY=build-only-not-a-secret-build-only-not-a-secret-build-only \
    DATABASE_URL=postgres://build:build@127.0.0.1:5432/build \
    ALLOWED_HOSTS=localhost \
    python manage.py compilemessages

# node_modules from stage 1 is mounted for collectstatic only; it never enters an image layer.
RUN --mount=type=bind,from=assets,source=/build/node_modules,target=/app/node_modules \
    SECRET_KEY=build-only-not-a-secret-build-only-not-a-secret-build-only \
    DATABASE_URL=postgres://build:build@127.0.0.1:5432/build \
    ALLOWED_HOSTS=localhost \
    python manage.py collectstatic --noinput

# Uploaded files (a volume in docker-compose.yml) are the only place the app writes.
RUN mkdir -p /app/media && chown laget:laget /app/media

USER laget
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://localhost:8000/healthz', timeout=4)"]

CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]

# Newsroom's production image: gunicorn on :8000 (settings in gunicorn.conf.py),
# static files collected at build time and served by whitenoise. The same image
# runs the task worker. docker-compose.yml runs it with PostgreSQL, Redis, a
# media server and Varnish in front.
FROM python:3.13-slim

# PYTHONPATH: the apps are imported from /app, where templates/ and var/ sit
# beside them; the project itself is never pip-installed, only its dependencies.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app

WORKDIR /app

# Dependencies first, from the lock file alone (exact versions, hashes checked):
# this layer is rebuilt only when requirements.lock changes, so a code change
# reuses it. Regenerate the lock from pyproject.toml as the README says.
COPY requirements.lock .
RUN pip install --require-hashes --no-deps -r requirements.lock

COPY . .

# collectstatic under production settings, so whitenoise's manifest is built;
# the key only satisfies the settings' check and is gone when this step ends.
RUN DJANGO_ENV=production \
    SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(64))')" \
    python manage.py collectstatic --noinput

# A home of its own: gunicorn (>= 27) keeps its control socket in ~/.gunicorn.
# The media directory is owned by the user so uploads (and the named volume
# compose mounts there, which copies this ownership) are writable.
RUN useradd --system --uid 10001 --create-home newsroom \
    && mkdir -p /app/var/media \
    && chown -R newsroom:newsroom /app/var/media

USER newsroom

EXPOSE 8000
CMD ["gunicorn", "newsroom.wsgi", "--config", "gunicorn.conf.py", "--bind", "0.0.0.0:8000"]

FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
# Static files are collected at build time and served by WhiteNoise; the key is only for this step.
RUN SECRET_KEY=build-only-not-secret python manage.py collectstatic --noinput \
    && useradd --create-home --uid 1000 archive \
    && mkdir -p /app/var/index \
    && chown -R archive /app/var

USER archive
EXPOSE 8000
CMD ["bash", "scripts/start-web"]

FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1

WORKDIR /app
# ICU: PyICU builds against its headers (a compiler and pkg-config for the build) and cuts
# Khmer, Thai, Lao, Burmese and Chinese into words at run time with its library. Poppler reads
# PDFs' text layers and draws scanned pages, which Tesseract reads (Khmer, Thai, Vietnamese,
# English).
RUN apt-get update \
    && apt-get install -y --no-install-recommends libicu-dev pkg-config g++ \
       poppler-utils tesseract-ocr tesseract-ocr-khm tesseract-ocr-tha tesseract-ocr-vie \
       tesseract-ocr-eng \
    && rm -rf /var/lib/apt/lists/*
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
# Static files are collected at build time and served by WhiteNoise. Settings need a key that
# passes the production check; a random one, used for this step only and thrown away.
RUN SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
    python manage.py collectstatic --noinput \
    && useradd --create-home --uid 1000 archive \
    && mkdir -p /app/var/index /app/var/captures \
    && chown -R archive /app/var

USER archive
EXPOSE 8000
CMD ["bash", "scripts/start-web"]

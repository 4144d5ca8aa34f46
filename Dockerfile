# One image for every process of the service (watcher, workers, web); docker-compose.yml picks the command.
FROM python:3.11-slim-bookworm
ENV DEBIAN_FRONTEND=noninteractive PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
RUN apt-get update && apt-get install -y --no-install-recommends \
      tesseract-ocr tesseract-ocr-chi-sim tesseract-ocr-chi-tra tesseract-ocr-osd \
      libtesseract-dev libleptonica-dev pkg-config build-essential \
      poppler-utils libreoffice-writer-nogui fonts-noto-cjk fonts-wqy-zenhei \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml ./
COPY ingest ./ingest
COPY models ./models
COPY worker ./worker
COPY web ./web
RUN pip install -e .
# Workers must not run as root (Celery warns, and a parsing bug should not own the container).
RUN useradd --create-home --uid 1000 ingest && mkdir -p /data && chown ingest /data
USER ingest
ENV INGEST_DATA_DIR=/data
CMD ["ingest", "run"]

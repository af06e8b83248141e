FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY config ./config
COPY core ./core
COPY certification ./certification
COPY catalog ./catalog
COPY search ./search
COPY web ./web
COPY templates ./templates
COPY locale ./locale
COPY manage.py ./
RUN pip install --no-cache-dir . && useradd --system app && mkdir -p /app/var && chown app /app/var \
    && DJANGO_ENV=production DJANGO_SECRET_KEY=build-only DJANGO_ALLOWED_HOSTS=build python manage.py collectstatic --noinput
USER app
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]

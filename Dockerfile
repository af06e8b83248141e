# The production image: gunicorn serving the app, WhiteNoise its collected static files. What it copies is
# checked without a Docker engine by tests/test_production_image.py, which lays these COPY lines out in a
# temporary folder, installs them with `pip install .`, and runs collectstatic, check --deploy and this CMD.
# A new top-level app needs a COPY line here and an entry in pyproject.toml's packages. The charting library
# (web/static/vendor/, git-ignored) is copied with web/: run scripts/vendor-static.sh before building.
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY config ./config
COPY core ./core
COPY accounts ./accounts
COPY certification ./certification
COPY catalog ./catalog
COPY search ./search
COPY web ./web
COPY notifications ./notifications
COPY program ./program
COPY officers ./officers
COPY templates ./templates
COPY locale ./locale
COPY manage.py ./
# The processes run from /app (first on sys.path), where settings.BASE_DIR finds templates/ and locale/;
# the install brings the dependencies and a complete copy of the packages with their data files.
RUN pip install --no-cache-dir . && rm -rf build *.egg-info \
    && useradd --system app && mkdir -p /app/var && chown app /app/var \
    && DJANGO_ENV=production DJANGO_SECRET_KEY=build-only DJANGO_ALLOWED_HOSTS=build python manage.py collectstatic --noinput
USER app
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]

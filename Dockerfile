# The geo-assets app image; the database comes from docker-compose.yml's postgis/postgis service.
FROM python:3.11-slim-bookworm
ENV UV_LINK_MODE=copy UV_PYTHON_DOWNLOADS=never UV_COMPILE_BYTECODE=1 PATH=/app/.venv/bin:$PATH
WORKDIR /app
RUN pip install --no-cache-dir uv==0.13.9
COPY pyproject.toml uv.lock README.md ./
COPY geo_assets geo_assets
COPY api api
COPY maps maps
COPY cli cli
COPY data data
RUN uv sync --frozen --no-dev && python -m compileall -q geo_assets api maps cli
# The app runs as an unprivileged user; it writes only the media folder (a volume in compose).
RUN useradd --system --uid 10001 --user-group --home-dir /app --no-create-home geoassets \
    && mkdir -p /srv/media && chown geoassets:geoassets /srv/media
USER geoassets
ENV GEO_ASSETS_MEDIA_DIR=/srv/media
EXPOSE 8000
CMD ["geo-assets", "serve", "--host", "0.0.0.0"]

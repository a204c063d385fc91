FROM python:3.10
RUN --mount=type=cache,target=/root/.cache/pip pip install poetry
WORKDIR /srv
COPY pyproject.toml poetry.lock ./
RUN poetry config cache-dir /srv/.poetry-cache && poetry install --no-root
COPY . .
CMD ["python", "app.py"]

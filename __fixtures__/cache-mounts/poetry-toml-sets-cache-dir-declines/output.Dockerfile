FROM python:3.12
RUN --mount=type=cache,target=/root/.cache/pip pip install poetry==1.8.3
WORKDIR /app
COPY poetry.toml pyproject.toml poetry.lock ./
RUN poetry install --only main --no-root
COPY . .
CMD ["python", "-m", "svc"]

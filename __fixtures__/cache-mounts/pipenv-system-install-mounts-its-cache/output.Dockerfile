FROM python:3.8-slim

ENV PIPENV_CACHE_DIR=/var/cache/pipenv \
    PIPENV_VENV_IN_PROJECT=1

RUN --mount=type=cache,target=/root/.cache/pip pip install pipenv
WORKDIR /app
COPY Pipfile Pipfile.lock ./
RUN --mount=type=cache,target=/var/cache/pipenv pipenv install --deploy --system

COPY . .
CMD ["gunicorn", "-b", "0.0.0.0:8000", "app:app"]

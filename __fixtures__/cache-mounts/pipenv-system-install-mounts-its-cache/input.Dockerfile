FROM python:3.8-slim

ENV PIPENV_CACHE_DIR=/var/cache/pipenv \
    PIPENV_VENV_IN_PROJECT=1

RUN pip install --no-cache-dir pipenv
WORKDIR /app
COPY Pipfile Pipfile.lock ./
RUN pipenv install --deploy --system --clear

COPY . .
CMD ["gunicorn", "-b", "0.0.0.0:8000", "app:app"]

FROM python:3.10-slim

ENV PYTHONUNBUFFERED=1 \
    POETRY_VERSION=1.4.2

RUN pip install "poetry==$POETRY_VERSION"
# PIP_EXTRA comes from the CI's build arguments: what it holds is not known
ARG PIP_EXTRA
RUN pip install $PIP_EXTRA gunicorn

WORKDIR /code
COPY pyproject.toml poetry.lock /code/
RUN poetry config virtualenvs.create false \
  && poetry install --no-interaction --no-ansi

COPY . /code
CMD ["gunicorn", "app:app"]

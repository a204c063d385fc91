# syntax=docker/dockerfile:1
FROM python:3.10-slim

ENV POETRY_VERSION=1.4.2
RUN --mount=type=cache,target=/root/.cache/pip pip install "poetry==$POETRY_VERSION"
# the CI's build argument may be --cache-dir or --no-cache-dir: this RUN is left alone
ARG PIP_FLAGS
RUN pip install $PIP_FLAGS gunicorn
WORKDIR /code
COPY . /code
CMD ["gunicorn", "app:app"]

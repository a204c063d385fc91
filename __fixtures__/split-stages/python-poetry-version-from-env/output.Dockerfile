FROM python:3.11 AS deps

ENV PYTHONUNBUFFERED=1 \
    POETRY_VERSION=1.3.2

RUN python -m venv /opt/venv
ENV PATH="/opt/venv/bin:$PATH"
ENV VIRTUAL_ENV=/opt/venv
RUN pip install "poetry==$POETRY_VERSION"

WORKDIR /code
COPY poetry.lock pyproject.toml /code/

# Project initialization:
RUN poetry config virtualenvs.create false \
  && poetry install --no-interaction --no-ansi --no-root

FROM python:3.11-slim AS runtime
ENV PYTHONUNBUFFERED=1 \
    POETRY_VERSION=1.3.2
ENV PATH="/opt/venv/bin:$PATH"
WORKDIR /code
COPY --from=deps /opt/venv /opt/venv
COPY poetry.lock pyproject.toml /code/

# Creating folders, and files for a project:
COPY . /code

EXPOSE 38153
CMD ["gunicorn", "--bind", "0.0.0.0:38153", "board:create_app()"]

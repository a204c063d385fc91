FROM python:3.11 AS deps

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1

RUN python -m venv /opt/venv
ENV PATH="/opt/venv/bin:$PATH"
ENV VIRTUAL_ENV=/opt/venv
RUN pip install poetry==1.3.2

WORKDIR /app
COPY pyproject.toml poetry.lock ./
# install only the runtime dependencies into the system python
RUN poetry config virtualenvs.create false \
  && poetry install --no-interaction --no-ansi --no-root --only main

FROM python:3.11-slim AS runtime
ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1
ENV PATH="/opt/venv/bin:$PATH"
WORKDIR /app
COPY --from=deps /opt/venv /opt/venv
COPY pyproject.toml poetry.lock ./

COPY . .

CMD ["uvicorn", "api.main:app", "--host", "0.0.0.0", "--port", "8000"]

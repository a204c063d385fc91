FROM python:3.11 AS deps
RUN python -m venv /opt/venv
ENV PATH="/opt/venv/bin:$PATH"
RUN pip install poetry==1.3.2
COPY pyproject.toml poetry.lock /
RUN poetry export -f requirements.txt --output requirements.txt --without-hashes && pip install -r requirements.txt

FROM python:3.11-slim AS runtime
ENV PATH="/opt/venv/bin:$PATH"
COPY --from=deps /opt/venv /opt/venv
COPY pyproject.toml poetry.lock /
COPY . /
CMD ["python", "app.py"]

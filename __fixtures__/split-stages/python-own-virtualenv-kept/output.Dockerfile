FROM python:3.12 AS deps
WORKDIR /app
COPY . /app
RUN python -m venv /venv
ENV PATH="/venv/bin:$PATH"
RUN pip install -r requirements.txt

FROM python:3.12-slim AS runtime
WORKDIR /app
ENV PATH="/venv/bin:$PATH"
COPY --from=deps /venv /venv
COPY . /app
CMD ["gunicorn", "-b", "0.0.0.0:8000", "app:app"]

FROM python:3.8 AS deps
COPY Pipfile* /
RUN python -m venv /opt/venv
ENV PATH="/opt/venv/bin:$PATH"
RUN pip install --no-cache-dir pipenv && pipenv install --system --deploy --ignore-pipfile

FROM python:3.8-slim AS runtime
ENV PATH="/opt/venv/bin:$PATH"
COPY --from=deps /opt/venv /opt/venv
COPY Pipfile* /
COPY . /
CMD python main.py

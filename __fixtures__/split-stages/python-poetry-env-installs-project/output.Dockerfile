FROM python:3.10-bullseye AS deps
ENV POETRY_VIRTUALENVS_CREATE=false
RUN python -m venv /opt/venv
ENV PATH="/opt/venv/bin:$PATH"
ENV VIRTUAL_ENV=/opt/venv
RUN pip install "poetry>=1.2,<1.4"
WORKDIR /code
COPY . /code
RUN poetry install --without dev

FROM python:3.10-slim-bullseye AS runtime
ENV POETRY_VIRTUALENVS_CREATE=false
ENV PATH="/opt/venv/bin:$PATH"
WORKDIR /code
COPY --from=deps /opt/venv /opt/venv
COPY . /code
CMD ["myservice"]

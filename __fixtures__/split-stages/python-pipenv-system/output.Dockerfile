FROM python:3.9 AS deps

RUN python -m venv /opt/venv
ENV PATH="/opt/venv/bin:$PATH"
RUN pip install pipenv

WORKDIR /usr/src/app

COPY Pipfile Pipfile.lock ./
RUN pipenv install --system --deploy

FROM python:3.9-slim AS runtime
ENV PATH="/opt/venv/bin:$PATH"
WORKDIR /usr/src/app
COPY --from=deps /opt/venv /opt/venv
COPY Pipfile Pipfile.lock ./

COPY . .

EXPOSE 5000
CMD ["gunicorn", "--bind", "0.0.0.0:5000", "wsgi:app"]

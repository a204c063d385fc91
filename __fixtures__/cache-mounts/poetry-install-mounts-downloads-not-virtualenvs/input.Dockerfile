FROM python:3.9

ENV POETRY_VERSION=1.1.15
RUN pip install --no-cache-dir "poetry==$POETRY_VERSION"

WORKDIR /usr/src/app
COPY pyproject.toml poetry.lock ./
# poetry's default: a virtualenv of its own under ~/.cache/pypoetry/virtualenvs
RUN poetry install --no-dev --no-interaction

COPY . .
CMD ["poetry", "run", "python", "main.py"]

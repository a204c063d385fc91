FROM python:3.10
RUN pip install poetry
WORKDIR /srv
COPY pyproject.toml poetry.lock ./
RUN poetry install --no-root && poetry config cache-dir /srv/.poetry-cache
RUN poetry install
COPY . .
CMD ["python", "app.py"]

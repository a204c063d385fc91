FROM python:3.10
RUN pip install poetry
WORKDIR /srv
COPY pyproject.toml poetry.lock ./
RUN poetry config cache-dir /srv/.poetry-cache && poetry install --no-root
COPY . .
CMD ["python", "app.py"]

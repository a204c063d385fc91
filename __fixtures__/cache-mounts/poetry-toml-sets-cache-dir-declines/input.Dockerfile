FROM python:3.12
RUN pip install --no-cache-dir poetry==1.8.3
WORKDIR /app
COPY poetry.toml pyproject.toml poetry.lock ./
RUN poetry install --only main --no-root
COPY . .
CMD ["python", "-m", "svc"]

FROM python:3.12
WORKDIR /app
RUN pip install poetry==1.8.3 && poetry config virtualenvs.create false
COPY poetry.lock pyproject.toml ./
RUN poetry install --only main --no-root
COPY . .
RUN poetry install --only main
CMD ["python", "-m", "service"]

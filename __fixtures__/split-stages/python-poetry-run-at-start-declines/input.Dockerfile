FROM python:3.11
RUN pip install poetry
WORKDIR /app
COPY . .
RUN poetry config virtualenvs.create false && poetry install --no-dev
CMD ["poetry", "run", "gunicorn", "-b", "0.0.0.0:8000", "app:app"]

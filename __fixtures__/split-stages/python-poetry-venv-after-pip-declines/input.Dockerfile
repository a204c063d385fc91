FROM python:3.11
RUN pip install poetry==1.3.2
RUN python -m venv /venv
ENV PATH="/venv/bin:$PATH"
WORKDIR /app
COPY pyproject.toml poetry.lock ./
RUN poetry config virtualenvs.create false && poetry install --no-root
COPY . .
CMD ["python", "app.py"]

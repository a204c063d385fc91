FROM python:3.9-slim
WORKDIR /code
COPY requirements.txt .
RUN --mount=type=cache,target=/root/.cache/pip pip install \
    -r requirements.txt
COPY . .
CMD ["gunicorn", "app:app"]

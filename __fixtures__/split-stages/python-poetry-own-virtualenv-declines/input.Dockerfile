FROM python:3.12
WORKDIR /app
COPY . .
RUN pip install poetry && poetry install --no-root
CMD ["python", "app.py"]

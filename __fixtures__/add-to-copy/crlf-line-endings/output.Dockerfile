FROM python:3.9
COPY . /app
CMD ["python", "/app/app.py"]

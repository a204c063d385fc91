FROM python:3.9
ADD . /app
CMD ["python", "/app/app.py"]

FROM python:3.9
COPY requirements.txt /app/
Copy app.py /app/

FROM python:3.9
ADD requirements.txt /app/
Add app.py /app/

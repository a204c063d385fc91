FROM python:3.9
ADD --unknown=1 app.py /app/

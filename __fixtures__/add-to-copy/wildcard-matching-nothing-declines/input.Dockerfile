FROM python:3.9
ADD *.py /app/

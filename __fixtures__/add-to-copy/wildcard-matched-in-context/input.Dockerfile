FROM python:3.9
ADD *.py /app/
ADD conf/*.ini /etc/app/

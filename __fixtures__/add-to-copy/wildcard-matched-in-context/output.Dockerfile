FROM python:3.9
COPY *.py /app/
COPY conf/*.ini /etc/app/

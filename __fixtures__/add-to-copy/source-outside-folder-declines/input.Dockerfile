FROM python:3.9
ADD ../shared/lib.py /app/

FROM python:3.11-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /code
COPY requirements.txt /code/
RUN python -m pip install --upgrade pip && pip install -r requirements.txt
COPY . /code/
CMD python manage.py runserver 0.0.0.0:8000

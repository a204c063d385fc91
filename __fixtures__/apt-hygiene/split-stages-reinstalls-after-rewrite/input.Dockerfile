FROM python:3.11-bookworm
RUN apt-get update
RUN apt-get install -y gcc libpq-dev
WORKDIR /code
COPY requirements.txt /code/
RUN pip install -r requirements.txt
COPY . /code/
CMD python manage.py runserver 0.0.0.0:8000

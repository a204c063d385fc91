FROM python:3.11
RUN pip install pipenv
WORKDIR /srv
COPY . .
RUN pipenv install --system
CMD ["flask", "run"]

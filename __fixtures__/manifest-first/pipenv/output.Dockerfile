FROM python:3.11
WORKDIR /srv
COPY Pipfile Pipfile.lock ./
RUN pip install pipenv && pipenv install --system --deploy
COPY . .
CMD ["gunicorn", "app:app"]

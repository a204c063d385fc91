FROM python:3.11
WORKDIR /srv
COPY . .
RUN pip install pipenv && pipenv install --system --deploy
CMD ["gunicorn", "app:app"]

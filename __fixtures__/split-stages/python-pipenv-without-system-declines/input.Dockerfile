FROM python:3.10
RUN pip install pipenv
WORKDIR /app
COPY Pipfile Pipfile.lock ./
RUN pipenv install --deploy
COPY . .
CMD ["pipenv", "run", "python", "app.py"]

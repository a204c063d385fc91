FROM python:3.8
COPY Pipfile* /
RUN pip install --no-cache-dir pipenv && pipenv install --system --deploy --ignore-pipfile
COPY . /
CMD python main.py

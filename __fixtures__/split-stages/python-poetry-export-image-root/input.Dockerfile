FROM python:3.11
RUN pip install poetry==1.3.2
COPY pyproject.toml poetry.lock /
RUN poetry export -f requirements.txt --output requirements.txt --without-hashes && pip install -r requirements.txt
COPY . /
CMD ["python", "app.py"]

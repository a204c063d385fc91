FROM python:3.10-bullseye
ENV POETRY_VIRTUALENVS_CREATE=false
RUN pip install "poetry>=1.2,<1.4"
WORKDIR /code
COPY . /code
RUN poetry install --without dev
CMD ["myservice"]

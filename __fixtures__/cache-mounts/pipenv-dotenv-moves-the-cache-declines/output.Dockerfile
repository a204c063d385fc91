FROM python:3.11
RUN --mount=type=cache,target=/root/.cache/pip pip install pipenv
WORKDIR /srv
COPY . .
RUN pipenv install --system
CMD ["flask", "run"]

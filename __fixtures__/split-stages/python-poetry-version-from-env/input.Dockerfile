FROM python:3.11

ENV PYTHONUNBUFFERED=1 \
    POETRY_VERSION=1.3.2

RUN pip install "poetry==$POETRY_VERSION"

WORKDIR /code
COPY poetry.lock pyproject.toml /code/

# Project initialization:
RUN poetry config virtualenvs.create false \
  && poetry install --no-interaction --no-ansi --no-root

# Creating folders, and files for a project:
COPY . /code

EXPOSE 38153
CMD ["gunicorn", "--bind", "0.0.0.0:38153", "board:create_app()"]

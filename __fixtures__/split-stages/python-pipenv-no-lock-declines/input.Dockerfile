FROM python:3.7
RUN pip install pipenv==2018.11.26
WORKDIR /app
COPY Pipfile /app
RUN pipenv install --system --skip-lock
COPY app.py /app
EXPOSE 8080
CMD ["gunicorn", "-b", ":8080", "app:app"]

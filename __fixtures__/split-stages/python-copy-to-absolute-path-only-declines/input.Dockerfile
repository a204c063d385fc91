FROM python:3.6
COPY . /app
WORKDIR /app
EXPOSE 5000
CMD ["python", "app.py"]

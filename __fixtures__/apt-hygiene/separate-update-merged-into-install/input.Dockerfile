FROM python:3.12
# system packages
RUN apt-get update
RUN apt-get install -y \
    curl \
    git
WORKDIR /app
COPY . .
CMD ["python", "app.py"]

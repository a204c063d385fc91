FROM python:3.12
ARG PIP_CACHE_DIR
COPY requirements.txt .
RUN pip install -r requirements.txt
CMD ["python", "-m", "app"]

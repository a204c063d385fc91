FROM python:3.11
ENV PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
RUN pip3 install --no-cache-dir flask
COPY . .
CMD ["python", "app.py"]

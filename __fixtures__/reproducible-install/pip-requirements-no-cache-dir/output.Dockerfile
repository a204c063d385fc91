FROM python:3.12-slim
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
RUN python -m pip install --no-cache-dir --upgrade pip \
 && pip3 install --no-cache-dir gunicorn==22.0.0
COPY . .
CMD ["gunicorn", "app:app"]

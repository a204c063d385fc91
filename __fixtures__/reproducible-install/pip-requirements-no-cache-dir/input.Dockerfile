FROM python:3.12-slim
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
RUN python -m pip install --upgrade pip \
 && pip3 install gunicorn==22.0.0
COPY . .
CMD ["gunicorn", "app:app"]

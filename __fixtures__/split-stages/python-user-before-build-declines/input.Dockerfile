FROM python:3.11
WORKDIR /home/app/web
USER nobody
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
CMD ["python", "app.py"]

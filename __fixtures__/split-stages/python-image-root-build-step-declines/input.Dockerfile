FROM python:3.11
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
RUN python -m compileall -q .
CMD ["python", "app.py"]

FROM python:3.12 AS wheels
COPY requirements.txt .
RUN pip install -r requirements.txt

FROM python:3.12-slim
COPY --from=wheels /root/.cache/pip /root/.cache/pip
COPY requirements.txt .
RUN pip install --no-index --find-links /root/.cache/pip -r requirements.txt
CMD ["python", "-m", "app"]

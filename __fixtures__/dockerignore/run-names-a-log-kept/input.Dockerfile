FROM python:3.11-slim
WORKDIR /srv
COPY . .
RUN python tools/seed.py /srv/seed/initial.log
CMD ["python", "-m", "http.server"]

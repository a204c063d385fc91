from python:3 as deps
RUN python -m venv /opt/venv
ENV PATH="/opt/venv/bin:$PATH"
run pip install Flask
workdir /usr/src/app

FROM python:3-slim AS runtime
ENV PATH="/opt/venv/bin:$PATH"
COPY --from=deps /opt/venv /opt/venv
WORKDIR /usr/src/app
copy app.py ./
expose 5000
entrypoint ["python", "./app.py"]

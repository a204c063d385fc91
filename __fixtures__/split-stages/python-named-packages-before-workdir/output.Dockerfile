from python:3 as build
RUN python -m venv /opt/venv
ENV PATH="/opt/venv/bin:$PATH"
run pip install Flask
workdir /usr/src/app
copy app.py ./

FROM python:3-slim AS runtime
ENV PATH="/opt/venv/bin:$PATH"
WORKDIR /usr/src/app
COPY --from=build /opt/venv /opt/venv
COPY --from=build /usr/src/app /usr/src/app
expose 5000
entrypoint ["python", "./app.py"]

FROM python:3.12-slim
WORKDIR /app
COPY . .
RUN uv sync --frozen
CMD ["uv", "run", "app"]

FROM node:20 AS web
WORKDIR /web
COPY package-lock.json package.json ./
RUN npm ci
COPY . .
RUN npm run build

FROM python:3.12-slim AS runtime
WORKDIR /app
COPY requirements.txt ./
RUN pip install -r requirements.txt
COPY . .
COPY --from=web /web/dist ./static
CMD ["python", "app.py"]

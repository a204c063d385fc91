FROM python:3.12
WORKDIR /app
COPY . .
RUN pip install -r requirements.txt && rm -rf $HOME/.cache
CMD ["python", "app.py"]

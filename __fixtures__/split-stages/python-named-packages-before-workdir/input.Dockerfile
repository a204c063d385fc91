from python:3
run pip install Flask
workdir /usr/src/app
copy app.py ./
expose 5000
entrypoint ["python", "./app.py"]

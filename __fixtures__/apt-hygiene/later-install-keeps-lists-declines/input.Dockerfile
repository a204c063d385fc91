FROM ubuntu:22.04
RUN apt-get update && apt-get install -y --no-install-recommends python3
COPY requirements.txt .
RUN apt-get install -y --no-install-recommends python3-pip

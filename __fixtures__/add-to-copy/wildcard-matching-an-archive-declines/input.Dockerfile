FROM python:3.9
ADD dist/* /opt/

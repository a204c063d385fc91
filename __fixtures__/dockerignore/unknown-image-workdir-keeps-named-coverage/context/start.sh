#!/bin/sh
exec java -jar app.jar

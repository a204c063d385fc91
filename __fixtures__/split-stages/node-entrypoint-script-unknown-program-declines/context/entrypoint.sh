#!/bin/sh
chown -R node /app/data
exec gosu node "$@"

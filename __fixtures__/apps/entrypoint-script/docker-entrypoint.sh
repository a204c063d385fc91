#!/bin/sh
set -e

# Render the runtime configuration from the environment, then hand over to CMD.
node scripts/render-config.js

if [ "${1#-}" != "${1}" ]; then
  set -- node "$@"
fi

exec "$@"

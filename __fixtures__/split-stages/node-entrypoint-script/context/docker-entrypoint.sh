#!/bin/sh
set -e

# Wait for the database and run the migrations before the server starts.
if [ -n "$DATABASE_URL" ]; then
  node scripts/wait-for-db.js
  npx knex migrate:latest
fi

exec "$@"

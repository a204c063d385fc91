'use strict'

const fs = require('node:fs')
const path = require('node:path')
const fastify = require('fastify')({ logger: true })

const port = Number(process.env.PORT || 3000)
const host = process.env.HOST || '0.0.0.0'

fastify.get('/health', async (request, reply) => {
  reply.type('text/plain')
  return 'ok'
})

// data/ ships with the app and is read per request
fastify.get('/v1/flags', async () => {
  const flags = JSON.parse(fs.readFileSync(path.join(__dirname, 'data', 'flags.json'), 'utf8'))
  return { app: 'alpine-prod', flags }
})

fastify.listen({ port, host }).catch((err) => {
  fastify.log.error(err)
  process.exit(1)
})

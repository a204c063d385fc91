const express = require('express')
const fs = require('fs')
const path = require('path')

const app = express()
const port = process.env.PORT || 3000
const host = process.env.HOST || '0.0.0.0'

app.use(express.static(path.join(__dirname, 'public')))

app.get('/health', (req, res) => res.type('text').send('ok\n'))

app.get('/entries', (req, res) => {
  const entries = JSON.parse(fs.readFileSync(path.join(__dirname, 'views', 'entries.json'), 'utf8'))
  res.json({ cwd: process.cwd(), dirname: __dirname, entries })
})

app.listen(port, host, () => {
  console.log(`Guestbook listening on port ${port}`)
})

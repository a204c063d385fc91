const express = require('express')
const path = require('path')

const app = express()
const PORT = process.env.PORT || 8080
const HOST = process.env.HOST || '0.0.0.0'

app.set('view engine', 'ejs')
app.set('views', path.join(__dirname, 'views'))
app.use(express.static(path.join(__dirname, 'public')))

app.get('/health', function (req, res) {
  res.type('text/plain').send('ok')
})

// rendered from views/index.ejs on each request
app.get('/', function (req, res) {
  res.render('index', { title: 'express-node14', node: process.version })
})

app.listen(PORT, HOST, function () {
  console.log('Server running on http://' + HOST + ':' + PORT)
})

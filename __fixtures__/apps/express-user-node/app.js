const express = require('express');
const fs = require('fs');
const path = require('path');

const app = express();
const router = express.Router();
const views = path.join(__dirname, 'views');
const port = process.env.PORT || 8080;
const host = process.env.HOST || '0.0.0.0';

router.use(function (req, res, next) {
  console.log('/' + req.method);
  next();
});

router.get('/health', function (req, res) {
  res.type('text').send('ok\n');
});

// Proves the app runs as `node` and can write its own folder, as the original could.
router.get('/sharks', function (req, res) {
  const visits = path.join(__dirname, 'visits.log');
  fs.appendFileSync(visits, 'visit\n');
  res.json({ uid: process.getuid(), page: fs.readFileSync(path.join(views, 'sharks.html'), 'utf8').trim(), wrote: path.basename(visits) });
});

app.use(express.static(views));
app.use('/', router);

app.listen(port, host, function () {
  console.log('Example app listening on port ' + port + '!');
});

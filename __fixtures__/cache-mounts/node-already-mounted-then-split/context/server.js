'use strict';
const fs = require('fs');
const path = require('path');
const express = require('express');

const app = express();
const port = Number(process.env.PORT || 3000);
const host = process.env.HOST || '0.0.0.0';

app.use(express.static(path.join(__dirname, 'public')));

app.get('/health', (req, res) => res.type('text/plain').send('ok\n'));

// Read on every request (not bundled, not required): the image must ship config/ next to server.js.
app.get('/api/settings', (req, res) => {
  const settings = JSON.parse(fs.readFileSync(path.join(__dirname, 'config', 'settings.json'), 'utf8'));
  res.json({ app: 'express-server', settings });
});

app.listen(port, host, () => console.log(`express-server listening on ${host}:${port}`));

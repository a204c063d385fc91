const express = require('express');
const fs = require('fs');
const path = require('path');

const app = express();
const PORT = process.env.PORT || 3000;
const HOST = process.env.HOST || '0.0.0.0';

app.use(express.static(path.join(__dirname, 'public')));

app.get('/health', (req, res) => res.send('ok\n'));

app.get('/api/products', (req, res) => {
  const products = JSON.parse(fs.readFileSync(path.join(__dirname, 'data', 'products.json'), 'utf8'));
  res.json(products.filter((p) => p.inStock));
});

app.listen(PORT, HOST, () => console.log(`shop listening on http://${HOST}:${PORT}`));

import express from 'express';
import { loadTodos } from './src/todos';

const app = express();
const PORT = process.env.PORT || 4000;
const HOST = process.env.HOST || '0.0.0.0';

app.get('/health', (req, res) => res.type('text/plain').send('ok'));

app.get('/api/todos', async (req, res) => {
  const todos = await loadTodos();
  res.json({ app: 'nodemon-babel', todos });
});

app.listen(PORT, HOST, () => {
  console.log(`API listening on http://${HOST}:${PORT}`);
});

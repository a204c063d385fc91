import { promises as fs } from 'fs';
import path from 'path';

// data/ is read on every request, not imported: it has to be in the image.
const DATA_FILE = path.join(__dirname, '..', 'data', 'todos.json');

export const loadTodos = async () => {
  const raw = await fs.readFile(DATA_FILE, 'utf8');
  return JSON.parse(raw);
};

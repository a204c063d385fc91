// Renders every content/*.md into dist/<name>.html inside one page template.
import fs from 'node:fs';
import path from 'node:path';
import { marked } from 'marked';

const root = path.resolve(import.meta.dirname, '..');
const out = path.join(root, 'dist');
fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(out, { recursive: true });

const layout = (title, body) =>
  `<!doctype html>\n<html>\n<head><meta charset="utf-8"><title>${title}</title></head>\n<body>\n${body}</body>\n</html>\n`;

for (const file of fs.readdirSync(path.join(root, 'content')).filter((f) => f.endsWith('.md')).sort()) {
  const name = path.basename(file, '.md');
  const html = marked.parse(fs.readFileSync(path.join(root, 'content', file), 'utf8'));
  fs.writeFileSync(path.join(out, `${name}.html`), layout(name, html));
  console.log(`built dist/${name}.html`);
}

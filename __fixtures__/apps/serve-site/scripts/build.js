// Renders content/*.md into build/*.html, and a health page.
const fs = require('fs');
const path = require('path');
const { marked } = require('marked');

const src = path.join(__dirname, '..', 'content');
const out = path.join(__dirname, '..', 'build');
fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(out, { recursive: true });
for (const file of fs.readdirSync(src).filter((f) => f.endsWith('.md'))) {
  const html = marked.parse(fs.readFileSync(path.join(src, file), 'utf8'));
  fs.writeFileSync(path.join(out, file.replace(/\.md$/, '.html')), `<!doctype html>\n<title>Handbook</title>\n${html}`);
}
fs.writeFileSync(path.join(out, 'health'), 'ok\n');
console.log('built', fs.readdirSync(out).length, 'files');

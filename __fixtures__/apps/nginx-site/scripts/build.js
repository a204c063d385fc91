// Renders content/*.md into dist/, one page each, plus an index linking them.
const fs = require('fs');
const path = require('path');
const { marked } = require('marked');

const root = path.join(__dirname, '..');
const out = path.join(root, 'dist');
fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(out);

const page = (title, body) => `<!doctype html>
<html>
<head><meta charset="utf-8"><title>${title}</title></head>
<body>
${body}</body>
</html>
`;

const pages = fs.readdirSync(path.join(root, 'content')).filter((f) => f.endsWith('.md')).sort();
const links = [];
for (const file of pages) {
  const name = path.basename(file, '.md');
  const html = marked.parse(fs.readFileSync(path.join(root, 'content', file), 'utf8'));
  fs.writeFileSync(path.join(out, `${name}.html`), page(name, html));
  links.push(`<li><a href="/${name}">${name}</a></li>`);
}
fs.writeFileSync(path.join(out, 'index.html'), page('Field notes', `<h1>Field notes</h1>\n<ul>\n${links.join('\n')}\n</ul>\n`));
console.log(`built ${pages.length} pages`);

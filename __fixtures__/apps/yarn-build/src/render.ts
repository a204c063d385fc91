import fs from 'fs';
import path from 'path';
import Mustache from 'mustache';

// Both files live outside src/ and are not compiled: read from the app root at run time.
const root = path.resolve(__dirname, '..');

export function renderStatus(): string {
  const template = fs.readFileSync(path.join(root, 'templates', 'status.mustache'), 'utf8');
  const site = JSON.parse(fs.readFileSync(path.join(root, 'site.json'), 'utf8'));
  // The Node major, not an uptime: the smoke test compares both images' answers byte for byte.
  return Mustache.render(template, { ...site, node: process.versions.node.split(".")[0] });
}

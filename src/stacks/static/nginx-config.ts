// Which files of a folder an nginx configuration names. The static-site runtime leaves the app
// folder behind (it has no Node to run anything there); that is safe only while nginx itself reads
// nothing from it — `root /app/dist;`, `alias /app/public/;`, `include /app/nginx/*.conf;`.
import path from 'node:path';
import { isUnder } from '../../stage-products.js';

// Directives whose arguments are URIs, patterns or texts, not paths of the file system: a
// `location /app/` or `return 301 /app/` names no file.
const NOT_PATHS = new Set(['location', 'rewrite', 'return', 'try_files', 'error_page', 'proxy_pass', 'proxy_redirect', 'fastcgi_pass', 'uwsgi_pass', 'grpc_pass', 'add_header', 'sub_filter', 'server_name', 'listen', 'if', 'valid_referers', 'index', 'default_type', 'log_format', 'map']);

/** A directive: its name and arguments, quotes removed. */
interface Directive {
  name: string;
  args: string[];
}

/**
 * The paths equal to or under `folder` that the configuration's directives name, each cut before
 * its first variable (`root /app/$host;` names all of /app). Sorted, without duplicates.
 */
export function pathsNamedUnder(config: string, folder: string): string[] {
  const found = new Set<string>();
  for (const { name, args } of directives(config)) {
    if (NOT_PATHS.has(name)) continue;
    for (const arg of args) {
      if (!arg.startsWith('/')) continue; // relative paths resolve against nginx's prefix (/etc/nginx, /usr/share/nginx)
      const cut = arg.search(/[$*?[]/);
      if (cut === -1) {
        const normalized = path.posix.normalize(arg).replace(/(.)\/$/, '$1');
        if (isUnder(normalized, folder)) found.add(normalized);
        continue;
      }
      // What a variable or pattern may become is only known up to it: `/app/sites/$host` lies in
      // /app/sites, `/app$suffix` or `/ap*` may be anywhere in /app.
      const prefix = path.posix.normalize(arg.slice(0, cut) + 'x');
      const dir = path.posix.dirname(prefix);
      if (isUnder(dir, folder) && dir !== '/') found.add(dir);
      else if (`${folder}/`.startsWith(prefix.slice(0, -1)) || isUnder(folder, dir)) found.add(folder);
    }
  }
  return [...found].sort();
}

/** nginx's syntax, as far as naming files goes: `#` comments (at a word's start), quoted words, `;` `{` `}` ending a directive. */
function directives(config: string): Directive[] {
  const out: Directive[] = [];
  let words: string[] = [];
  const token = /#[^\n]*|"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|([;{}])|([^\s;{}"'#][^\s;{}"']*)/g;
  for (const m of config.matchAll(token)) {
    if (m[0].startsWith('#')) continue;
    if (m[3] !== undefined) {
      if (words.length > 0) out.push({ name: words[0]!, args: words.slice(1) });
      words = [];
      continue;
    }
    words.push(m[1] ?? m[2] ?? m[4] ?? '');
  }
  if (words.length > 0) out.push({ name: words[0]!, args: words.slice(1) });
  return out;
}

// Node tools that serve a built site as static files: `serve -s build`, `http-server dist -p 8080`.
// What they read is the folder they serve (and the files their options name), not the app's
// dependencies — so a runtime that runs one needs the built folder and the tool itself only.

export interface StaticServe {
  /**
   * The folder served, as written; null when none is given: serve then serves its working folder,
   * http-server ./public when there is one, else its working folder — both read as the working folder.
   */
  folder: string | null;
  /** Other files the options name (certificates, a config), as written. */
  files: string[];
}

interface ServerOptions {
  /** Options that take the next word (or `=value`) as their value. */
  values: ReadonlySet<string>;
  /** Options whose value is a file the server reads. */
  fileValues: ReadonlySet<string>;
  /** Options that take no value. */
  flags: ReadonlySet<string>;
}

// vercel/serve 14 (`serve --help`); its serve.json is read from the served folder itself.
const SERVE: ServerOptions = {
  values: new Set(['-l', '--listen', '-p', '--port', '-c', '--config', '--ssl-cert', '--ssl-key', '--ssl-pass']),
  fileValues: new Set(['--ssl-cert', '--ssl-key', '--ssl-pass']),
  flags: new Set(['-s', '--single', '-d', '--debug', '-C', '--cors', '-n', '--no-clipboard', '-u', '-L', '--no-request-logging', '-S', '--symlinks', '--no-compression', '--no-etag', '--no-port-switching']),
};

// http-party/http-server 14 (`http-server --help`). --cors, -o and -r take an optional value, which
// makes the next word ambiguous; they are read only where no word follows that could be one.
const HTTP_SERVER: ServerOptions = {
  values: new Set(['-p', '--port', '-a', '-c', '-e', '--ext', '-P', '--proxy', '--proxy-options', '--username', '--password', '-C', '--cert', '-K', '--key', '-t', '--mimetypes']),
  fileValues: new Set(['-C', '--cert', '-K', '--key', '--mimetypes']),
  flags: new Set(['-s', '--silent', '-g', '--gzip', '-b', '--brotli', '-U', '--utc', '--log-ip', '-S', '--tls', '--ssl', '--no-dotfiles', '-i', '-d', '--cors', '-o', '-r', '--robots']),
};

const OPTIONAL_VALUES = new Set(['--cors', '-o', '-r', '--robots']);

export const STATIC_SERVERS: Readonly<Record<string, ServerOptions>> = { serve: SERVE, 'http-server': HTTP_SERVER };

/**
 * Reads a static server's command line; null when `cmd` is not one, a sentence when its words
 * cannot be told (an option stageopt does not know, two folders).
 */
export function readStaticServer(cmd: string, args: readonly string[]): StaticServe | string | null {
  const options = STATIC_SERVERS[cmd];
  if (options === undefined) return null;
  let folder: string | null = null;
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('-') || arg === '-') {
      if (folder !== null) return `"${cmd}" is given two folders (${folder}, ${arg})`;
      folder = arg;
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg : arg.slice(0, eq);
    if (options.values.has(name)) {
      const value = eq === -1 ? args[++i] : arg.slice(eq + 1);
      if (value === undefined) return `"${cmd} ${name}" has no value`;
      if (options.fileValues.has(name)) files.push(value);
      continue;
    }
    if (!options.flags.has(name)) return `"${cmd}" is given the option ${name}, which stageopt does not read`;
    if (OPTIONAL_VALUES.has(name) && eq === -1 && args[i + 1] !== undefined && !args[i + 1]!.startsWith('-')) {
      return `"${cmd} ${name}" may take "${args[i + 1]}" as its value or as the folder to serve`;
    }
  }
  return { folder, files };
}

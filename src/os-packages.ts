// OS packages a single-stage Dockerfile installs, sorted into those only the build needs
// (compilers, headers) and those the app needs at run time — which a runtime stage must install
// again. A `-dev` package's run-time half is its shared library (`libpq-dev` → `libpq5`); where
// that library's name is not known, the split declines rather than guess.

/** Needed to compile, never to run. */
const BUILD_ONLY = new Set([
  'build-essential', 'gcc', 'g++', 'make', 'cmake', 'autoconf', 'automake', 'libtool', 'pkg-config', 'pkgconf',
  'python3', 'python3-dev', 'python-dev', 'python3-pip', 'python3-setuptools', 'python3-wheel', 'python-is-python3',
  'git', 'cargo', 'rustc', 'musl-dev', 'linux-headers', 'libc-dev', 'libc6-dev', 'gfortran', 'swig', 'node-gyp',
]);

/** Debian bookworm: a `-dev` package and the library it links against at run time. */
const RUNTIME_LIBRARY: Record<string, string> = {
  'libpq-dev': 'libpq5',
  'libjpeg-dev': 'libjpeg62-turbo',
  'libjpeg62-turbo-dev': 'libjpeg62-turbo',
  'zlib1g-dev': 'zlib1g',
  'libxml2-dev': 'libxml2',
  'libxslt1-dev': 'libxslt1.1',
  'libxslt-dev': 'libxslt1.1',
  'libffi-dev': 'libffi8',
  'libssl-dev': 'libssl3',
  'default-libmysqlclient-dev': 'libmariadb3',
  'libmariadb-dev': 'libmariadb3',
  'libmariadb-dev-compat': 'libmariadb3',
  'libpng-dev': 'libpng16-16',
  'libfreetype6-dev': 'libfreetype6',
  'libfreetype-dev': 'libfreetype6',
  'libsqlite3-dev': 'libsqlite3-0',
  'libcurl4-openssl-dev': 'libcurl4',
  'libwebp-dev': 'libwebp7',
  'libtiff-dev': 'libtiff6',
  'libtiff5-dev': 'libtiff6',
  'liblcms2-dev': 'liblcms2-2',
  'libopenjp2-7-dev': 'libopenjp2-7',
  'libyaml-dev': 'libyaml-0-2',
  'libgmp-dev': 'libgmp10',
  'libmagic-dev': 'libmagic1',
  'libsasl2-dev': 'libsasl2-2',
  'libldap2-dev': 'libldap-2.5-0',
  'libpango1.0-dev': 'libpango-1.0-0',
  'libcairo2-dev': 'libcairo2',
  'libvips-dev': 'libvips42',
};

export type PackageSort = { ok: true; runtime: string[]; buildOnly: string[] } | { ok: false; reason: string };

/**
 * The packages of one install command that the runtime needs too: build-only ones are left out and
 * a `-dev` package becomes its library. `apk` names on Alpine use the same logic where they agree.
 */
export function sortPackages(packages: readonly string[], alpine: boolean): PackageSort {
  const runtime: string[] = [];
  const buildOnly: string[] = [];
  for (const raw of packages) {
    const name = raw.replace(/[=<>].*$/, ''); // `curl=7.88.1-10` pins a version: the name is what counts
    if (BUILD_ONLY.has(name)) {
      buildOnly.push(name);
      continue;
    }
    if (name.endsWith('-dev')) {
      const lib = alpine ? null : RUNTIME_LIBRARY[name];
      if (!lib) return { ok: false, reason: `the run-time library of "${name}" is not known` };
      runtime.push(lib);
      buildOnly.push(name);
    } else runtime.push(raw);
  }
  return { ok: true, runtime: [...new Set(runtime)], buildOnly };
}

export interface OsInstall {
  manager: 'apt' | 'apk';
  packages: string[];
}

const APT_VALUE_FLAGS = new Set(['-o', '-t', '--target-release', '-c', '--config-file']);
const APK_VALUE_FLAGS = new Set(['-X', '--repository', '-p', '--root', '--arch', '--keys-dir', '--repositories-file', '--cache-dir', '--cache-max-age']);

/** A package manager command: which one, and its action word (`install`, `update`, `add` …) and where it is among the words. */
export interface OsCommand {
  manager: 'apt' | 'apk';
  /** Null when there is none, or when it is not a plain word. */
  action: string | null;
  actionIndex: number;
}

/**
 * Reads `apt-get …`, `apt …` or `apk …`: the action is the first word that is not an option
 * (`apt-get -qq update`, `apk --no-cache add`). Null when the command is not a package manager.
 */
export function readOsCommand(words: readonly (string | null)[]): OsCommand | null {
  const cmd = words[0];
  const manager = cmd === 'apt-get' || cmd === 'apt' ? 'apt' : cmd === 'apk' ? 'apk' : null;
  if (manager === null) return null;
  const valueFlags = manager === 'apt' ? APT_VALUE_FLAGS : APK_VALUE_FLAGS;
  for (let i = 1; i < words.length; i++) {
    const w = words[i];
    if (w === null) return { manager, action: null, actionIndex: i };
    if (!w.startsWith('-')) return { manager, action: w, actionIndex: i };
    if (valueFlags.has(w)) i++;
  }
  return { manager, action: null, actionIndex: words.length };
}

/**
 * Reads `apt-get install …`, `apt install …` or `apk add …` (literal words only); other package
 * manager commands (`apt-get update`, `apt-get clean`) are housekeeping and give an empty list.
 * Null when the command is not a package manager at all.
 */
export function readOsInstall(words: readonly (string | null)[]): OsInstall | { unreadable: string } | null {
  const command = readOsCommand(words);
  if (!command) return null;
  const { manager, action, actionIndex } = command;
  if (action !== (manager === 'apt' ? 'install' : 'add')) return { manager, packages: [] };
  return packagesAfter([...words.slice(1, actionIndex), ...words.slice(actionIndex + 1)], manager);
}

function packagesAfter(words: readonly (string | null)[], manager: 'apt' | 'apk'): OsInstall | { unreadable: string } {
  const packages: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (w === null) return { unreadable: 'a package name is a variable' };
    if (w.startsWith('-')) {
      // `apk add --virtual .build-deps gcc` names a group that is removed later: all build-only.
      if (manager === 'apk' && (w === '--virtual' || w === '-t')) return { unreadable: 'it installs a virtual package group' };
      if ((manager === 'apt' ? APT_VALUE_FLAGS : APK_VALUE_FLAGS).has(w)) i++; // the flag's value is not a package
      continue;
    }
    packages.push(w);
  }
  return { manager, packages };
}

/** The RUN line a runtime stage uses to install packages, written the way each image family expects. */
export function installLine(manager: 'apt' | 'apk', packages: readonly string[]): string {
  if (manager === 'apk') return `RUN apk add --no-cache ${packages.join(' ')}`;
  return `RUN apt-get update && apt-get install -y --no-install-recommends ${packages.join(' ')} && rm -rf /var/lib/apt/lists/*`;
}

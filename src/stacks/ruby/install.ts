// Ruby installs: `bundle install` reads the Gemfile, its lock and bundler's config; a gemspec or a
// path gem reads the sources.
import { INSTALL_BASE, isLiteral, type Install, type InstallReader, type ManifestFiles, type Recognized, type Words } from '../install.js';

export const rubyInstalls: InstallReader = {
  ecosystems: ['bundler'],
  recognize(words: Words): Recognized | undefined {
    const [cmd, sub] = words;
    if (cmd !== 'bundle') return undefined;
    if (sub !== 'install' || !isLiteral(words.slice(2))) return null;
    return { kind: 'install', install: { ...INSTALL_BASE, ecosystem: 'bundler', strategy: 'move' } };
  },
  plan(_install: Install, files: ManifestFiles): string | null {
    let problem = files.requireFile('Gemfile');
    files.addIfPresent('Gemfile.lock', '.bundle/config');
    const gemfile = files.ctx.readText('Gemfile') ?? '';
    if (!problem && /^\s*gemspec\b/m.test(gemfile)) problem = 'the Gemfile loads a gemspec, which reads the sources';
    if (!problem && /\bpath:\s*["']|:path\s*=>/.test(gemfile)) problem = 'the Gemfile has a path gem, which needs the sources';
    return problem;
  },
};

// PHP installs: `composer install` reads composer.json and its lock; the early run skips scripts and
// the autoloader, which need the sources, and the original install finishes the job after them.
import { INSTALL_BASE, isLiteral, parseJsonObject, type Install, type InstallReader, type ManifestFiles, type Recognized, type Words } from '../install.js';

export const phpInstalls: InstallReader = {
  ecosystems: ['composer'],
  recognize(words: Words): Recognized | undefined {
    const [cmd, sub] = words;
    if (cmd !== 'composer') return undefined;
    const rest = words.slice(2);
    if (sub !== 'install' || !isLiteral(rest)) return null;
    return {
      kind: 'install',
      install: { ...INSTALL_BASE, ecosystem: 'composer', strategy: 'prepare', prepareFlags: ['--no-scripts', '--no-autoloader'].filter((f) => !rest.includes(f)) },
    };
  },
  plan(_install: Install, files: ManifestFiles): string | null {
    const problem = files.requireFile('composer.json');
    files.addIfPresent('composer.lock', 'auth.json');
    const json = parseJsonObject(files.ctx.readText('composer.json'));
    if (!problem && JSON.stringify(json?.repositories ?? []).includes('"path"')) return 'composer.json has a path repository, which needs the sources';
    return problem;
  },
};

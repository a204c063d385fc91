// Go installs: `go mod download` reads go.mod and go.sum; `go build` and friends download too, so
// a download can be prepared ahead of the sources. A workspace or a local replace needs the sources.
import { INSTALL_BASE, type Install, type InstallReader, type ManifestFiles, type Recognized, type Words } from '../install.js';
import { replacesWithLocalFolder } from './gomod.js';

export const goInstalls: InstallReader = {
  ecosystems: ['go'],
  recognize(words: Words): Recognized | undefined {
    const [cmd, sub] = words;
    if (cmd !== 'go') return undefined;
    if (sub === 'mod' && words[2] === 'download') return { kind: 'install', install: { ...INSTALL_BASE, ecosystem: 'go', strategy: 'move' } };
    if (['build', 'install', 'test', 'vet', 'run', 'generate'].includes(sub ?? '')) {
      return { kind: 'install', install: { ...INSTALL_BASE, ecosystem: 'go', strategy: 'prepare', prepareCommand: 'go mod download' } };
    }
    return null;
  },
  plan(_install: Install, files: ManifestFiles): string | null {
    const { ctx } = files;
    let problem = files.requireFile('go.mod');
    files.addIfPresent('go.sum');
    const gomod = ctx.readText('go.mod') ?? '';
    if (!problem && ctx.has('go.work')) problem = 'a go.work workspace spans several modules';
    if (!problem && replacesWithLocalFolder(gomod)) problem = 'go.mod replaces a module with a local folder, which the download needs';
    return problem;
  },
};

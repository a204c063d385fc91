// Rust builds: cargo cannot fetch and build dependencies without the sources, so its installs are
// recognised only to decline with the reason.
import type { InstallReader, Recognized, Words } from '../install.js';

export const rustInstalls: InstallReader = {
  ecosystems: [],
  recognize(words: Words): Recognized | undefined {
    const [cmd, sub] = words;
    if (cmd !== 'cargo') return undefined;
    return sub === 'build' || sub === 'fetch' || sub === 'install'
      ? { kind: 'decline', reason: 'cargo cannot fetch and build dependencies without the sources (a dummy main.rs trick changes what is built)' }
      : null;
  },
  plan: () => null,
};

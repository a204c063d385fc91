// JVM builds (Maven, Gradle): no manifest-only dependency step is known to be safe, so their installs
// are recognised only to decline with the reason.
import type { InstallReader, Recognized, Words } from '../install.js';

export const jvmInstalls: InstallReader = {
  ecosystems: [],
  recognize(words: Words): Recognized | undefined {
    const cmd = words[0];
    if (cmd !== 'mvn' && cmd !== './mvnw' && cmd !== 'gradle' && cmd !== './gradlew') return undefined;
    return { kind: 'decline', reason: `${cmd} resolves dependencies from the build files and plugins together; no safe manifest-only step is known` };
  },
  plan: () => null,
};

// Global Node tools a Dockerfile sets up (`npm install -g pm2`, `corepack enable`): they live outside
// the app folder, so a runtime stage must set them up again, and the commands they put on PATH.

/** Commands that set up global tools the final commands may use: run again in the runtime stage. */
export function isGlobalSetup(words: readonly (string | null)[]): boolean {
  return (words[0] === 'npm' && (words.includes('-g') || words.includes('--global'))) || words[0] === 'corepack';
}

// Global packages whose commands are not named after the package.
const GLOBAL_BINS: Record<string, string[]> = {
  pm2: ['pm2', 'pm2-runtime', 'pm2-docker', 'pm2-dev'],
  typescript: ['tsc', 'tsserver'],
  '@nestjs/cli': ['nest'],
  '@angular/cli': ['ng'],
};

/** The commands a globally installed package (`pm2@5`, `@scope/cli@latest`) puts on the PATH. */
export function globalBins(spec: string): string[] {
  const name = spec.replace(/(.)@[^/]*$/, '$1');
  return GLOBAL_BINS[name] ?? [name.split('/').pop()!];
}

/** The commands one `npm install -g a b` puts on the PATH; none for another command or one with variables. */
export function globalCommands(words: readonly (string | null)[]): string[] {
  if (!isGlobalSetup(words) || words.some((w) => w === null)) return [];
  return (words as string[]).slice(2).filter((w) => !w.startsWith('-')).flatMap((spec) => globalBins(spec));
}

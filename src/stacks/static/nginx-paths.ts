// Where nginx reads: its configuration and, by default, its sites — Debian's packages and the
// official image alike. The split publishes what the build put here; verify compares it file by file.

/** The folders nginx reads from, outermost first. */
export const NGINX_ROOTS: readonly string[] = ['/etc/nginx', '/usr/share/nginx', '/var/www'];

/** Where its configuration lives: what lands here is read for paths it names elsewhere. */
export const NGINX_CONFIG_ROOT = '/etc/nginx';

/** Whether `p` (absolute, normalised) is below one of those folders, not the folder itself. */
export function isUnderNginxRoot(p: string): boolean {
  const trimmed = p.replace(/\/+$/, '');
  return NGINX_ROOTS.some((root) => trimmed.startsWith(`${root}/`));
}

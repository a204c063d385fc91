// The folder each instruction runs in. A stage starts where the stage it is built FROM ended, or in
// its base image's WORKDIR, and every WORKDIR moves it, relative to where it was. Several
// transforms resolve relative paths (a `COPY . .`, a `go build -o server`, an `rm -rf .cache`), and
// a golang image without a WORKDIR of the file's builds in /go, not in `/`: they all ask here, so
// they agree on where that is.
import path from 'node:path';
import { Workdir, type Instruction } from 'dockerfile-ast';
import { GOLANG_GOPATH } from './stacks/go/image.js';
import { operandsOf, parseImage, type Stage } from './stages.js';

export interface Folder {
  /** The absolute folder. */
  dir: string;
  /** False while it rests on the WORKDIR of a base image stageopt does not know, taken to be `/`. */
  known: boolean;
  /** Whether a WORKDIR put it there, the file's own or its base image's (golang's /go); false for an image's `/`. */
  set: boolean;
}

// Official images with a WORKDIR of their own, each read off the image's Dockerfile. php sets one
// in its apache and fpm variants only; its cli variant starts in `/`, like the images below.
const IMAGE_WORKDIRS: Record<string, (tag: string) => string | null> = {
  golang: () => GOLANG_GOPATH,
  php: (tag) => (/(^|-)(apache|fpm)(-|$)/.test(tag) ? '/var/www/html' : '/'),
  composer: () => '/app',
  httpd: () => '/usr/local/apache2',
  tomcat: () => '/usr/local/tomcat',
  redis: () => '/data',
  caddy: () => '/srv',
};

// Official images that set no WORKDIR: their builds start in `/`, known.
const ROOT_IMAGES = new Set([
  'node', 'python', 'ruby', 'rust', 'nginx', 'openjdk', 'eclipse-temurin', 'amazoncorretto',
  'debian', 'ubuntu', 'alpine', 'busybox', 'centos', 'fedora', 'rockylinux', 'almalinux', 'amazonlinux', 'archlinux', 'oraclelinux', 'scratch',
]);

/** The folder an image from outside the file starts its stage in. */
export function imageWorkdir(image: string | null): Folder {
  if (image === null || image.includes('$')) return { dir: '/', known: false, set: false };
  const ref = parseImage(image);
  // Only Docker Hub's official images (or a mirror keeping their name): a private `acme/golang` may be anything.
  const name = ref.repository.toLowerCase().replace(/^(docker\.io\/|index\.docker\.io\/)/, '').replace(/^library\//, '');
  const own = IMAGE_WORKDIRS[name]?.(ref.tag ?? 'latest');
  if (own) return { dir: own, known: true, set: own !== '/' };
  return { dir: '/', known: ROOT_IMAGES.has(name), set: false };
}

/** The working folder after a WORKDIR; null when its operand uses a variable or is not one word. */
export function joinWorkdir(current: string, instruction: Workdir): string | null {
  const dir = workdirOperand(instruction);
  return dir === null ? null : path.posix.resolve(current, dir);
}

/** A WORKDIR's folder as Docker reads it (`"/srv/app"` is /srv/app); null for a variable, an escape or several words. */
function workdirOperand(instruction: Workdir): string | null {
  const args = operandsOf(instruction);
  if (args.length !== 1) return null;
  const quoted = /^"([^"]*)"$|^'([^']*)'$/.exec(args[0]!);
  const dir = quoted ? (quoted[1] ?? quoted[2]!) : args[0]!;
  return dir === '' || /[$"'\\`]/.test(dir) ? null : dir;
}

export interface WorkingFolders {
  /** The folder an instruction of the chain runs in (for a WORKDIR, the one it moves from); null after a WORKDIR with a variable. */
  before(instruction: Instruction): Folder | null;
  /** The folder after an instruction (for a WORKDIR, the one it moves to). */
  after(instruction: Instruction): Folder | null;
  /** The folder at the end of the chain's last stage. */
  end: Folder | null;
}

/** The working folders of a chain of stages, oldest first (`lineage`: [build, test] for `FROM build AS test`). */
export function workingFolders(chain: readonly Stage[]): WorkingFolders {
  const before = new Map<Instruction, Folder | null>();
  const after = new Map<Instruction, Folder | null>();
  let folder: Folder | null = imageWorkdir(chain[0]?.image ?? null);
  for (const stage of chain) {
    for (const instruction of stage.instructions) {
      before.set(instruction, folder);
      if (instruction instanceof Workdir && folder !== null) {
        const dir = joinWorkdir(folder.dir, instruction);
        // An absolute WORKDIR no longer rests on the base image's folder.
        const absolute = workdirOperand(instruction)?.startsWith('/') ?? false;
        folder = dir === null ? null : { dir, known: folder.known || absolute, set: true };
      }
      after.set(instruction, folder);
    }
  }
  return { before: (i) => (before.has(i) ? before.get(i)! : null), after: (i) => (after.has(i) ? after.get(i)! : null), end: folder };
}

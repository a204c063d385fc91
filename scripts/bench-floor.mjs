// The floor stageopt is measured against: read every Dockerfile under a folder and parse it with
// dockerfile-ast, nothing else. With --lint, also run dockerfile-utils' validator on each (the
// reference a linter pays). Prints the file count.
import fs from 'node:fs';
import path from 'node:path';
import { DockerfileParser } from 'dockerfile-ast';

const [dir, mode] = process.argv.slice(2);
const validate = mode === '--lint' ? (await import('dockerfile-utils')).validate : null;
let files = 0;
const walk = (d) => {
  for (const e of fs.readdirSync(d, { withFileTypes: true })) {
    const p = path.join(d, e.name);
    if (e.isDirectory()) walk(p);
    else if (e.name === 'Dockerfile') {
      const text = fs.readFileSync(p, 'utf8');
      DockerfileParser.parse(text);
      if (validate) validate(text);
      files++;
    }
  }
};
walk(dir);
console.log(files);

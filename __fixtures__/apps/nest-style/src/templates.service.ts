import { Injectable, NotFoundException } from '@nestjs/common';
import { existsSync, readFileSync } from 'fs';
import { join } from 'path';

// The JSON templates are not compiled and not in dist/: nest build only emits the .ts files.
// They are read from the source tree, relative to the app root (the WORKDIR).
const TEMPLATES_DIR = join(process.cwd(), 'src/templates');

@Injectable()
export class TemplatesService {
  get(name: string): unknown {
    const file = join(TEMPLATES_DIR, `${name.replace(/[^a-z0-9-]/gi, '')}.json`);
    if (!existsSync(file)) throw new NotFoundException(`no template ${name}`);
    return JSON.parse(readFileSync(file, 'utf8'));
  }
}

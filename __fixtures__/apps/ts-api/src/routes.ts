import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Route {
  method: string;
  path: string;
}

export function loadRoutes(): Route[] {
  return JSON.parse(readFileSync(join(__dirname, '..', 'data', 'routes.json'), 'utf8')) as Route[];
}

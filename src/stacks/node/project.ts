// What a Node project's package.json says about run time: which programs come from dev
// dependencies (gone once they are pruned) and what `npm start` really runs.
import type { BuildContext } from '../../build-context.js';
import { calledCommands } from '../../shell.js';
import { parsePackageJson, stringScripts } from './package-json.js';
import { scriptStarted } from './scripts.js';

export interface NodeProject {
  dependencies: Set<string>;
  devDependencies: Set<string>;
  scripts: Record<string, string>;
}

/** Programs whose package name differs from the command it installs. */
const BIN_PACKAGE: Record<string, string> = {
  tsc: 'typescript',
  'babel-node': '@babel/node',
  nest: '@nestjs/cli',
  ng: '@angular/cli',
  webpack: 'webpack-cli',
  'react-scripts': 'react-scripts',
  'vue-cli-service': '@vue/cli-service',
  'ts-node-dev': 'ts-node-dev',
  tsnd: 'ts-node-dev',
  jest: 'jest',
  mocha: 'mocha',
  eslint: 'eslint',
};

export function readNodeProject(context: BuildContext): NodeProject | { problem: string } {
  if (context.root === null) return { problem: 'the build context is unknown, so package.json cannot be read' };
  const text = context.readText('package.json');
  if (text === null) return { problem: `package.json is not in the build context ${context.root}` };
  const pkg = parsePackageJson(text);
  if (pkg === null) return { problem: 'package.json is not valid JSON' };
  return {
    dependencies: new Set(Object.keys(pkg.dependencies ?? {})),
    devDependencies: new Set(Object.keys(pkg.devDependencies ?? {})),
    scripts: stringScripts(pkg),
  };
}

/**
 * Why the final image cannot run without dev dependencies, or null. `commands` are the simple
 * commands of CMD, ENTRYPOINT and HEALTHCHECK; npm/yarn/pnpm scripts they start are followed.
 */
export function nodeRuntimeProblem(project: NodeProject, commands: readonly string[][]): string | null {
  const seen = new Set<string>();
  const check = (words: readonly string[], via: string, depth: number): string | null => {
    const [cmd, ...rest] = words;
    if (!cmd) return null;
    if (cmd === 'npx') return check(rest.filter((w) => !w.startsWith('-')), via, depth);
    const script = scriptStarted(words)?.name ?? null;
    if (script !== null) {
      if (depth > 8 || seen.has(script)) return null;
      seen.add(script);
      for (const name of [`pre${script}`, script, `post${script}`]) {
        const body = project.scripts[name];
        if (body === undefined) continue;
        const calls = calledCommands(body);
        if (calls === null) return `the "${name}" script cannot be read by the shell parser`;
        for (const call of calls) {
          const problem = check(call.map((w) => w ?? ''), `the "${name}" script`, depth + 1);
          if (problem) return problem;
        }
      }
      return null;
    }
    if (cmd === 'node' || cmd === 'nodejs') {
      for (let i = 0; i < rest.length; i++) {
        if (['-r', '--require', '--loader', '--import', '--experimental-loader'].includes(rest[i]!)) {
          const dev = devPackage(project, rest[i + 1] ?? '');
          if (dev) return `${via} preloads ${rest[i + 1]}, from the dev dependency ${dev}, which the runtime stage leaves out`;
        }
      }
      return null;
    }
    const dev = devPackage(project, cmd);
    return dev ? `${via} runs ${cmd}, from the dev dependency ${dev}, which the runtime stage leaves out` : null;
  };
  for (const words of commands) {
    const problem = check(words, 'the start command', 0);
    if (problem) return problem;
  }
  return null;
}

/** The dev dependency a program or module specifier comes from, if any and not also a dependency. */
function devPackage(project: NodeProject, nameOrModule: string): string | null {
  const base = nameOrModule.startsWith('@') ? nameOrModule.split('/').slice(0, 2).join('/') : nameOrModule.split('/')[0]!;
  for (const candidate of [base, BIN_PACKAGE[base]]) {
    if (candidate && project.devDependencies.has(candidate) && !project.dependencies.has(candidate)) return candidate;
  }
  return null;
}

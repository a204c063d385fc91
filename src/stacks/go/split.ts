// Go's split recipe: `go build -o` binaries built with CGO_ENABLED=0 (static), run on distroless
// static, or on Debian slim with the builder's CA bundle when the final commands need a shell or
// other programs. cgo — `import "C"`, a binding module, `-race` — declines. The official image's
// old README shape installs instead (`go get -d -v ./...`, `go install -v ./...`, `CMD ["app"]`):
// the binaries land in $GOPATH/bin (/go/bin), which the runtime gets at the same path, on its PATH.
import path from 'node:path';
import type { Instruction } from 'dockerfile-ast';
import { insertAt, type TextEdit } from '../../edits.js';
import { isDistroless } from '../../runtime-images.js';
import { isUnder } from '../../stage-products.js';
import { goBuildOutput, goInstallOutputs } from './build-output.js';
import { droppedPackages, estimateSaving } from '../saving.js';
import { Decline, lineOf, type CommandStep, type ProgramUse, type PlanInput, type RuntimeImage, type SplitRecipe, type SplitSession, type SplitStage, type StackPlan } from '../split.js';

export const goSplit: SplitRecipe = {
  family: 'go',
  detects: () => true,
  isFolderIndependent: () => false,
  begin: (split) => new GoSplit(split),
};

// Modules that are cgo bindings: with CGO_ENABLED=0 they fail to build or lose their driver.
const CGO_MODULES = ['github.com/mattn/go-sqlite3', 'github.com/confluentinc/confluent-kafka-go', 'gopkg.in/confluentinc/confluent-kafka-go', 'github.com/go-gl/', 'github.com/mattn/go-oci8', 'github.com/DataDog/zstd', 'github.com/tecbot/gorocksdb', 'github.com/linxGnu/grocksdb'];

class GoSplit implements SplitSession {
  /** Where `CGO_ENABLED=0 ` goes, and binaries built outside the app folder. */
  private buildInserts: number[] = [];
  private outputs: string[] = [];
  private cgoDisabled = false;
  /** GOPATH and GOBIN as the stage's ENV sets them (the golang images: GOPATH=/go, no GOBIN). */
  private gopath = '/go';
  private gobin: string | null = null;
  /** Whether a binary went to the bin folder, which the runtime must put on PATH. */
  private installed = false;
  private cgo: { checked: boolean; problem: string | null } = { checked: false, problem: null };
  readonly needsShellForPrograms = true;

  constructor(private readonly split: SplitStage) {}

  readEnv(instruction: Instruction, text: string): void {
    for (const [name, value] of [...text.matchAll(/\b(GOPATH|GOBIN)[= ]["']?([^\s"']*)/g)].map((m) => [m[1]!, m[2]!] as const)) {
      if (!value.startsWith('/') || value.includes('$') || value.includes(':')) throw new Decline(`ENV at line ${lineOf(instruction)} sets ${name} to ${value.includes(':') ? 'several folders' : 'a value stageopt does not read'}, so where go install puts binaries cannot be told`, instruction);
      if (name === 'GOPATH') this.gopath = path.posix.normalize(value);
      else this.gobin = path.posix.normalize(value);
    }
    if (!/\bCGO_ENABLED\b/.test(text)) return;
    if (/CGO_ENABLED=["']?1/.test(text)) throw new Decline(`ENV at line ${lineOf(instruction)} turns cgo on; the binary needs the C library of the build image`, instruction);
    this.cgoDisabled = true;
  }

  takesVariableValues(cmd: string): boolean {
    return cmd === 'go';
  }

  readCommand(step: CommandStep): boolean {
    const { words, at, run } = step;
    if (words[0] !== 'go') return false;
    const sub = words[1];
    if (sub === 'build') {
      this.readBuild(step);
      return true;
    }
    if (['mod', 'vet', 'test', 'generate', 'env', 'version', 'list'].includes(sub ?? '')) return true;
    // `go get -d` only downloads (into GOPATH's src or the module cache): build inputs, left behind.
    if (sub === 'get' && words.includes('-d')) return true;
    if (sub === 'install' || sub === 'get') {
      this.readInstall(step);
      return true;
    }
    throw new Decline(`${at} runs "go ${sub}"; its output is not in the app folder`, run);
  }

  private readBuild({ run, command, scriptStart, words, at }: CommandStep): void {
    const { appDir, ctx } = this.split;
    const cgoFlag = words.find((w) => w === '-race' || w === '-msan' || w === '-asan' || /linkmode[= ]+external/.test(w));
    if (cgoFlag) throw new Decline(`${at}: the build needs cgo (${cgoFlag})`, run);
    // Where the build runs: the stage's WORKDIR at this step; the app folder's content is the context's
    // root when a COPY put it there (the usual `COPY . .`).
    const output = goBuildOutput(words.slice(2), appDir, ctx.buildContext, (abs) => (isUnder(abs, appDir) ? path.posix.relative(appDir, abs) : null));
    if ('problem' in output) throw new Decline(`${at}: ${output.problem}`, run);
    const out = output.path;
    const outPath = out.startsWith('/') ? path.posix.normalize(out) : path.posix.join(appDir, out);
    if (!isUnder(outPath, appDir)) this.outputs.push(outPath.endsWith('/') ? outPath.slice(0, -1) : outPath);
    const problem = this.cgoProblem();
    if (problem) throw new Decline(`${at}: ${problem}`, run);
    if (!this.cgoDisabled && !command.assigns.includes('CGO_ENABLED')) this.buildInserts.push(scriptStart + command.start);
    if (command.assigns.includes('CGO_ENABLED') && /CGO_ENABLED=["']?1/.test(ctx.source.text.slice(scriptStart + command.start, scriptStart + command.end))) {
      throw new Decline(`${at} builds with cgo on; the binary needs the C library of the build image`, run);
    }
  }

  /** `go install -v ./...`: its commands go to GOBIN, or GOPATH's bin. */
  private readInstall({ run, command, scriptStart, words, at }: CommandStep): void {
    const { appDir, ctx } = this.split;
    const args = words.slice(2);
    if (args.some((w) => /@/.test(w))) throw new Decline(`${at} installs a tool by version (go install pkg@version), which is not the app's code`, run);
    const cgoFlag = args.find((w) => w === '-race' || w === '-msan' || w === '-asan');
    if (cgoFlag) throw new Decline(`${at}: the build needs cgo (${cgoFlag})`, run);
    const found = goInstallOutputs(args, appDir, ctx.buildContext, (abs) => (isUnder(abs, appDir) ? path.posix.relative(appDir, abs) : null));
    if ('problem' in found) throw new Decline(`${at}: "go ${words[1]}" ${found.problem}`, run);
    const bin = this.gobin ?? path.posix.join(this.gopath, 'bin');
    for (const name of found.names) this.outputs.push(path.posix.join(bin, name));
    this.installed = true;
    const problem = this.cgoProblem();
    if (problem) throw new Decline(`${at}: ${problem}`, run);
    if (!this.cgoDisabled && !command.assigns.includes('CGO_ENABLED')) this.buildInserts.push(scriptStart + command.start);
  }

  /** Does the module (in the build context) need cgo? `import "C"` in its code or a cgo binding in go.mod. Read once. */
  private cgoProblem(): string | null {
    if (!this.cgo.checked) this.cgo = { checked: true, problem: readCgoProblem(this.split) };
    return this.cgo.problem;
  }

  /** `CMD go run main.go` compiles at start: the runtime would need the toolchain the split leaves behind. */
  readFinalCommands(programs: readonly ProgramUse[], commands: readonly string[][]): void {
    commands.forEach((words, i) => {
      if (words[0] === 'go' && (words[1] === 'run' || words[1] === 'build')) {
        const at = programs[i]!.at;
        throw new Decline(`${at.getKeyword()} at line ${lineOf(at)} compiles at start (go ${words[1]}); a split would have to change ${at.getKeyword()} to run the binary instead`, at);
      }
    });
  }

  provides(program: string): boolean {
    const base = program.slice(program.lastIndexOf('/') + 1);
    return program.startsWith('./') || program.startsWith('/') ? true : this.outputs.some((o) => o.endsWith(`/${base}`));
  }

  runtimeImage(needsShell: boolean, installs: boolean): RuntimeImage {
    const { options } = this.split.ctx;
    const image = needsShell || installs ? options.goShellRuntimeImage : options.goRuntimeImage;
    return { image, copyCaCerts: !isDistroless(image) };
  }

  plan(input: PlanInput): StackPlan {
    const buildEdits: TextEdit[] = this.buildInserts.map((offset) => insertAt(offset, 'CGO_ENABLED=0 '));
    const payload = [...input.installLines];
    if (input.copyCaCerts) payload.push(`COPY --from=${input.buildName} /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt`);
    payload.push(`COPY --from=${input.buildName} ${this.split.appDir} ${this.split.appDir}`);
    for (const out of this.outputs) payload.push(`COPY --from=${input.buildName} ${out} ${out}`);
    // `CMD ["app"]` found the binary on the golang image's PATH, which starts with the bin folder.
    if (this.installed) payload.push(`ENV PATH="${this.gobin ?? path.posix.join(this.gopath, 'bin')}:$PATH"`);
    // A Go binary and its files weigh about the same in both images; the toolchain stays behind.
    const saving = estimateSaving(this.split.stage.image!, input.image, 15, [droppedPackages(input.needs.buildOnlyPackages)]);
    return { buildEdits, buildTail: [], payload, runtimeBefore: new Map(), what: this.outputs.length > 1 ? `static binaries (CGO_ENABLED=0; ${this.outputs.map((o) => path.posix.basename(o)).join(', ')})` : 'a static binary (CGO_ENABLED=0)', saving };
  }
}

function readCgoProblem({ ctx }: SplitStage): string | null {
  const bc = ctx.buildContext;
  if (bc.root === null) return 'the build context is unknown, so whether the code needs cgo cannot be checked';
  const gomod = bc.readText('go.mod');
  if (gomod) {
    const binding = CGO_MODULES.find((m) => gomod.includes(m));
    if (binding) return `go.mod requires ${binding}, which needs cgo`;
  }
  let seen = 0;
  const pending = [''];
  while (pending.length > 0) {
    const dir = pending.pop()!;
    for (const entry of bc.list(dir) ?? []) {
      const rel = dir ? `${dir}/${entry}` : entry;
      if (++seen > 5000) return 'the build context has over 5,000 files; not all were checked for cgo';
      if (entry === 'vendor' || entry === 'node_modules' || entry.startsWith('.')) continue;
      if (bc.isDirectory(rel)) pending.push(rel);
      else if (entry.endsWith('.go') && /^\s*import\s+(\(\s*)?"C"/m.test(bc.readText(rel) ?? '')) return `${rel} uses cgo (import "C")`;
    }
  }
  return null;
}

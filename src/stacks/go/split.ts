// Go's split recipe: `go build -o` binaries built with CGO_ENABLED=0 (static), run on distroless
// static, or on Debian slim with the builder's CA bundle when the final commands need a shell or
// other programs. cgo — `import "C"`, a binding module, `-race` — declines. The official image's
// old README shape installs instead (`go get -d -v ./...`, `go install -v ./...`, `CMD ["app"]`):
// the binaries land in $GOPATH/bin (/go/bin), which the runtime gets at the same path, on its PATH.
// Without a WORKDIR the build runs in the image's own /go (see planImageFolder).
import path from 'node:path';
import type { Instruction, Run } from 'dockerfile-ast';
import { insertAt, type TextEdit } from '../../edits.js';
import { readOsInstall } from '../../os-packages.js';
import { isDistroless } from '../../runtime-images.js';
import { isUnder } from '../../stage-products.js';
import { copiesFromContext, globalArgs, parseImage } from '../../stages.js';
import { goBuildOutput, goInstallOutputs } from './build-output.js';
import { GOLANG_FOLDERS, GOLANG_GOPATH, goMinor, shipsCompiledStd } from './image.js';
import { touchesOnlyScratch } from '../housekeeping.js';
import { runScript } from '../run-script.js';
import { droppedPackages, estimateSaving } from '../saving.js';
import { blockStart, copiedInstruction } from '../stage-text.js';
import { Decline, lineOf, type CommandStep, type ProgramUse, type PlanInput, type RuntimeImage, type Saving, type SplitRecipe, type SplitSession, type SplitStage, type StackPlan } from '../split.js';

export const goSplit: SplitRecipe = {
  family: 'go',
  detects: () => true,
  isFolderIndependent: () => false,
  begin: (split) => new GoSplit(split),
};

// go subcommands that write nothing into the app folder but their binaries — or only go.mod and
// go.sum (`go get`, `go mod tidy`), which nothing reads at run time.
const WRITES_ONLY_OUTPUTS = new Set(['build', 'install', 'get', 'vet', 'env', 'version', 'list']);
const MOD_WRITES_ONLY_MANIFESTS = new Set(['download', 'verify', 'tidy', 'graph', 'why', 'edit', 'init']);
const STD_NOTE = '; the standard library compiled without cgo once, before the sources (the image ships it compiled with cgo)';
/** The stage that hands the runtime the image's /go with its mode, and the folder it keeps it in. */
const FOLDER_STAGE = 'gopath';
const FOLDER_COPY = '/gopath';

// Modules that are cgo bindings: with CGO_ENABLED=0 they fail to build or lose their driver.
const CGO_MODULES = ['github.com/mattn/go-sqlite3', 'github.com/confluentinc/confluent-kafka-go', 'gopkg.in/confluentinc/confluent-kafka-go', 'github.com/go-gl/', 'github.com/mattn/go-oci8', 'github.com/DataDog/zstd', 'github.com/tecbot/gorocksdb', 'github.com/linxGnu/grocksdb'];

class GoSplit implements SplitSession {
  /** Where `CGO_ENABLED=0 ` goes, and binaries built outside the app folder. */
  private buildInserts: number[] = [];
  /** Binaries built outside the app folder (`-o /server`, `go install`), and those inside it. */
  private outputs: string[] = [];
  private appOutputs: string[] = [];
  private cgoDisabled = false;
  /** GOPATH and GOBIN as the stage's ENV sets them (the golang images: GOPATH=/go, no GOBIN). */
  private gopath = GOLANG_GOPATH;
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
    if ('path' in output) {
      const outPath = output.path.startsWith('/') ? path.posix.normalize(output.path) : path.posix.join(appDir, output.path);
      (isUnder(outPath, appDir) ? this.appOutputs : this.outputs).push(outPath.endsWith('/') ? outPath.slice(0, -1) : outPath);
    }
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
    const warmUp = this.stdWithoutCgo();
    if (warmUp) buildEdits.push(warmUp);
    // A Go binary and its files weigh about the same in both images; the toolchain stays behind.
    const saving = estimateSaving(this.split.stage.image!, input.image, 15, [droppedPackages(input.needs.buildOnlyPackages)]);
    if (GOLANG_FOLDERS.includes(this.split.appDir)) return this.planImageFolder(input, buildEdits, saving, warmUp !== null);
    const binaries = `${this.outputs.length > 1 ? `static binaries (CGO_ENABLED=0; ${this.outputs.map((o) => path.posix.basename(o)).join(', ')})` : 'a static binary (CGO_ENABLED=0)'}${warmUp ? STD_NOTE : ''}`;
    const payload = [...input.installLines];
    if (input.copyCaCerts) payload.push(this.caCertsCopy(input));
    payload.push(`COPY --from=${input.buildName} ${this.split.appDir} ${this.split.appDir}`);
    for (const out of this.outputs) payload.push(`COPY --from=${input.buildName} ${out} ${out}`);
    payload.push(...this.pathLine());
    return { buildEdits, buildTail: [], payload, runtimeBefore: new Map(), what: binaries, saving };
  }

  /**
   * The app folder is one the golang image makes (no WORKDIR: /go). The runtime cannot take it from
   * the build stage: the copy would make it 0755 where the image has 1777 (777 in the Go 1.15
   * images), and bring the module cache (/go/pkg) along. So a `gopath` stage copies the image's /go
   * into a folder of its own, the runtime copies that folder's contents — a copy keeps the modes of
   * what is inside the folder it names — then copies from the build context what the original
   * copied, and the binaries from the build stage.
   */
  private planImageFolder(input: PlanInput, buildEdits: TextEdit[], saving: Saving, warmedUp: boolean): StackPlan {
    const { ctx, instructions, roles, appDir, workdirs, stage } = this.split;
    const runtimeAt = new Map<number, string[]>();
    for (let i = 0; i < instructions.length; i++) {
      if (roles[i] !== 'build') continue;
      const instruction = instructions[i]!;
      const problem = copiesFromContext(instruction) ? null : this.writesBesidesOutputs(instruction);
      if (problem) {
        throw new Decline(`${problem}; the app is in ${appDir}, which the golang image makes with a mode of its own, so the runtime takes what the build context gave it and the binaries, not the folder (a WORKDIR such as /app before the copies would let it copy the folder)`, instruction);
      }
      if (copiesFromContext(instruction)) runtimeAt.set(i, [copiedInstruction(ctx.source, instruction)]);
    }
    const folderStage = [input.buildName, ctx.options.runtimeName].includes(FOLDER_STAGE) ? `${input.buildName}-${FOLDER_STAGE}` : FOLDER_STAGE;
    // The folder first: a WORKDIR that made it would leave it 0755, which a later copy keeps.
    const runtimeBefore = new Map([[0, [`COPY --from=${folderStage} ${FOLDER_COPY}/ /`]]]);
    const firstBuild = roles.indexOf('build');
    const beforeBuild: string[] = [];
    // Without a WORKDIR of its own the runtime would start in its image's (distroless: /).
    if (![...workdirs.keys()].some((i) => i < firstBuild)) beforeBuild.push(`WORKDIR ${appDir}`);
    // Installs and the CA bundle before the copies from the context, so a source edit re-runs neither.
    beforeBuild.push(...input.installLines);
    if (input.copyCaCerts) beforeBuild.push(this.caCertsCopy(input));
    runtimeBefore.set(firstBuild, [...(runtimeBefore.get(firstBuild) ?? []), ...beforeBuild]);
    const payload = [...this.appOutputs, ...this.outputs].map((out) => `COPY --from=${input.buildName} ${out} ${out}`);
    payload.push(...this.pathLine());
    const names = [...this.appOutputs, ...this.outputs].map((o) => path.posix.basename(o));
    return {
      buildEdits,
      buildTail: [],
      payload,
      runtimeBefore,
      runtimeAt,
      stagesBefore: [[`FROM ${stage.image} AS ${folderStage}`, `RUN mkdir ${FOLDER_COPY} && cp -a ${GOLANG_GOPATH} ${FOLDER_COPY}/`]],
      what: `${names.length === 0 ? '' : `${names.length > 1 ? 'static binaries' : 'a static binary'} (CGO_ENABLED=0; ${names.join(', ')}) and `}what the original copied from the build context, in ${GOLANG_GOPATH} with the mode the golang image gives it (from a ${folderStage} stage)${warmedUp ? STD_NOTE : ''}`,
      saving,
    };
  }

  /**
   * `RUN CGO_ENABLED=0 go build std` before the first build step, when the split turns cgo off on a
   * Go that ships its standard library compiled with cgo (1.10 to 1.19): compiled once into a layer
   * a source edit keeps, not again on every rebuild (image.ts, shipsCompiledStd).
   */
  private stdWithoutCgo(): TextEdit | null {
    const { ctx, stage, instructions, roles } = this.split;
    if (this.buildInserts.length === 0 || !shipsCompiledStd(goMinor(parseImage(stage.image!), globalArgs(ctx.source)))) return null;
    const first = instructions[roles.indexOf('build')]!;
    return insertAt(blockStart(ctx.source, first), `RUN CGO_ENABLED=0 go build std${ctx.source.eol}`);
  }

  /** Why a build RUN may write files into the app folder besides the binaries; null when it does not. */
  private writesBesidesOutputs(instruction: Instruction): string | null {
    const at = `RUN at line ${lineOf(instruction)}`;
    if (instruction.getKeyword() !== 'RUN') return `${instruction.getKeyword()} at line ${lineOf(instruction)} copies from another image`;
    const chain = runScript(this.split.ctx.source, instruction as Run)?.chain;
    if (!chain?.ok) return `${at} cannot be read`;
    for (const { words, decorated } of chain.commands) {
      if (readOsInstall(words) !== null || touchesOnlyScratch(words, this.split.appDir, decorated)) continue;
      const [cmd, sub, third] = words;
      if (cmd === 'go' && (WRITES_ONLY_OUTPUTS.has(sub ?? '') || (sub === 'mod' && MOD_WRITES_ONLY_MANIFESTS.has(third ?? '')))) continue;
      return `${at} runs "${words.map((w) => w ?? '…').join(' ')}", which may write or change files in the app folder besides the binaries`;
    }
    return null;
  }

  private caCertsCopy(input: PlanInput): string {
    return `COPY --from=${input.buildName} /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt`;
  }

  /** `CMD ["app"]` found the binary on the golang image's PATH, which starts with the bin folder. */
  private pathLine(): string[] {
    return this.installed ? [`ENV PATH="${this.gobin ?? path.posix.join(this.gopath, 'bin')}:$PATH"`] : [];
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

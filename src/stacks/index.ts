// The stack registry: every language or serving stack stageopt knows, one folder each. A new stack
// is a folder under src/stacks/ and one line here; the transforms ask the stacks, never a stack's
// files directly (but for the split recipes, which split-stages looks up by the stack's id).
import { goInstalls } from './go/install.js';
import type { InstallReader } from './install.js';
import { jvmInstalls } from './jvm/install.js';
import { nodeInstalls } from './node/install.js';
import { phpInstalls } from './php/install.js';
import { pythonInstalls } from './python/install.js';
import { rubyInstalls } from './ruby/install.js';
import { rustInstalls } from './rust/install.js';

/** Install readers in the order their ecosystems are listed to users. */
export const INSTALL_READERS: readonly InstallReader[] = [nodeInstalls, pythonInstalls, goInstalls, rubyInstalls, phpInstalls, jvmInstalls, rustInstalls];

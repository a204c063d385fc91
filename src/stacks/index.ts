// The stack registry: every language or serving stack stageopt knows, one folder each. A new stack
// is a folder under src/stacks/ and one line here; the transforms ask the stacks, never a stack's
// files directly (but for the split recipes, which split-stages looks up by the stack's id).
import { goInstalls } from './go/install.js';
import { goSplit } from './go/split.js';
import type { InstallReader } from './install.js';
import { jvmInstalls } from './jvm/install.js';
import { nodeInstalls } from './node/install.js';
import { nodeSplit } from './node/split.js';
import { phpInstalls } from './php/install.js';
import { pythonInstalls } from './python/install.js';
import { pythonSplit } from './python/split.js';
import { rubyInstalls } from './ruby/install.js';
import { rustInstalls } from './rust/install.js';
import type { SplitRecipe } from './split.js';
import { nginxBaseSplit } from './static/nginx-base.js';
import { servedSplit } from './static/served-split.js';
import { staticSplit } from './static/split.js';

/** Install readers in the order their ecosystems are listed to users. */
export const INSTALL_READERS: readonly InstallReader[] = [nodeInstalls, pythonInstalls, goInstalls, rubyInstalls, phpInstalls, jvmInstalls, rustInstalls];

/**
 * Split recipes, asked in this order for a stage of their family: the two site recipes first,
 * since a site built by Node and served by nginx, or by a globally installed `serve`, is a Node
 * stage whose final command is the server. A site built on the nginx image itself is the nginx
 * family's only recipe.
 */
export const SPLIT_RECIPES: readonly SplitRecipe[] = [staticSplit, servedSplit, nodeSplit, pythonSplit, goSplit, nginxBaseSplit];

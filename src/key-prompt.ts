// A question answered by one key, as `git add -p` with interactive.singleKey answers: the key acts
// at once, no Enter. The keys are always on screen after the question, and `h` (or `?`) lists
// what each does under it, also at once. Enter takes the default. inquirer's expand prompt, used
// before, needed Enter after every key, and a key typed after `h` was read as a wrong answer.
import { createPrompt, isEnterKey, makeTheme, useKeypress, usePrefix, useState, type KeypressEvent } from '@inquirer/core';

export interface KeyChoice<V> {
  /** One lowercase letter. */
  key: string;
  name: string;
  value: V;
}

export interface KeyPromptConfig<V> {
  message: string;
  choices: readonly KeyChoice<V>[];
  /** The key Enter stands for. */
  default: string;
}

const HELP_KEYS = new Set(['h', '?']);

/** The letter a key press stands for: readline names letters; `?` it leaves unnamed but in the line. */
function pressed(event: KeypressEvent, line: string): string {
  if (event.name && event.name.length === 1) return event.name.toLowerCase();
  return line.slice(-1).toLowerCase();
}

export const keyPrompt = createPrompt(<V>(config: KeyPromptConfig<V>, done: (value: V) => void) => {
  const [status, setStatus] = useState<'idle' | 'done'>('idle');
  const [answer, setAnswer] = useState<string>('');
  const [expanded, setExpanded] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const theme = makeTheme({});
  const prefix = usePrefix({ theme, status });
  const choose = (key: string) => config.choices.find((c) => c.key === key);

  useKeypress((event, rl) => {
    const key = isEnterKey(event) ? config.default : pressed(event, rl.line);
    // Nothing typed stays in readline's line: the next question starts empty.
    rl.clearLine(0);
    if (HELP_KEYS.has(key)) {
      setExpanded(!expanded);
      setError(undefined);
      return;
    }
    const choice = choose(key);
    if (!choice) {
      if (key.trim()) setError(`"${key}" is not one of the keys: ${config.choices.map((c) => c.key).join(' ')} (h lists them)`);
      return;
    }
    setAnswer(key);
    setStatus('done');
    done(choice.value);
  });

  const message = theme.style.message(config.message, status);
  if (status === 'done') return `${prefix} ${message} ${theme.style.answer(choose(answer)!.name)}`;
  const keys = [...config.choices.map((c) => (c.key === config.default ? c.key.toUpperCase() : c.key)), 'h'].join('');
  const lines = expanded ? config.choices.map((c) => `  ${c.key}) ${c.name}`).concat('  h) Hide this list', '  (keys act at once; Enter means ' + config.default + ')') : [];
  return [`${prefix} ${message} ${theme.style.defaultAnswer(keys)} `, [...lines, error ? theme.style.error(error) : ''].filter(Boolean).join('\n')];
});

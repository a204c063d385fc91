// What a RUN's words read as when the stage's ENV gives a variable its value (knownEnv,
// quotedWords): `pip install "poetry==$POETRY_VERSION"` names poetry; anything a build could change
// or the shell would split stays unknown.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Run } from 'dockerfile-ast';
import { Source } from '../src/source.js';
import { knownEnv, quotedWords, runScript } from '../src/stacks/run-script.js';

/** The words of each command of the file's last RUN, read with the ENV known before it. */
function lastRunWords(text: string): (string | null)[][] {
  const source = Source.fromText(text);
  const instructions = source.dockerfile.getInstructions();
  const index = instructions.map((i) => i.getKeyword()).lastIndexOf('RUN');
  const script = runScript(source, instructions[index] as Run)!;
  if (!script.chain.ok) throw new Error(`the chain does not read: ${script.chain.reason}`);
  const env = knownEnv(source, instructions, index);
  return script.chain.commands.map((c) => quotedWords(source, script.scriptStart, c, env));
}

test('a variable the stage sets with ENV reads as its value, quoted or not, $X or ${X}', () => {
  const words = lastRunWords('FROM python:3.11\nENV PYTHONUNBUFFERED=1 \\\n    POETRY_VERSION=1.3.2\nRUN pip install "poetry==$POETRY_VERSION" && pip install pipenv==${POETRY_VERSION}\n');
  assert.equal(words, [['pip', 'install', 'poetry==1.3.2'], ['pip', 'install', 'pipenv==1.3.2']]);
});

test('the legacy ENV form and a later ENV of the same name: the latest value before the RUN', () => {
  assert.equal(lastRunWords('FROM python:3.11\nENV V 1.2\nENV V=1.3\nRUN pip install "poetry==$V"\nENV V=9\n'), [['pip', 'install', 'poetry==1.3']]);
});

test('unknown stays null: the base image\'s ENV, an ARG, a value made of variables, an expansion with an operator', () => {
  const words = lastRunWords('FROM python:3.11\nARG A=1\nENV B=$A C=2\nRUN pip install "x==$PYTHON_VERSION" "a==$A" "b==$B" "c==${C:-3}" "d==${#C}"\n');
  assert.equal(words, [['pip', 'install', null, null, null, null, null]]);
});

/** What knownEnv gives the file's last RUN. */
function envOfLastRun(text: string): ReadonlyMap<string, string> {
  const source = Source.fromText(text);
  const instructions = source.dockerfile.getInstructions();
  return knownEnv(source, instructions, instructions.map((i) => i.getKeyword()).lastIndexOf('RUN'));
}

test('a name the RUN mentions other than as $NAME may be assigned there: unknown', () => {
  assert.is(envOfLastRun('FROM python:3.11\nENV V=1.3\nRUN V=2; pip install "poetry==$V"\n').get('V'), undefined);
  assert.is(envOfLastRun('FROM python:3.11\nENV V=1.3\nRUN export V=2 && pip install "poetry==$V"\n').get('V'), undefined);
  assert.is(envOfLastRun('FROM python:3.11\nENV V=1.3\nRUN read V < /v && pip install "poetry==${V}"\n').get('V'), undefined);
  // A name that merely contains it is another name.
  assert.is(envOfLastRun('FROM python:3.11\nENV V=1.3\nRUN MY_V=2 pip install "poetry==$V" "$VV"\n').get('V'), '1.3');
});

test('a RUN that sources a file may set anything: nothing is known', () => {
  assert.equal([...envOfLastRun('FROM python:3.11\nENV V=1.3\nRUN . /etc/profile && pip install "poetry==$V"\n').keys()], []);
  assert.equal([...envOfLastRun('FROM python:3.11\nENV V=1.3\nRUN source /venv/bin/activate && pip install "poetry==$V"\n').keys()], []);
  assert.equal([...envOfLastRun('FROM python:3.11\nENV V=1.3\nRUN pip install "poetry==$V" ./pkg\n').keys()], ['V']);
});

test('a value with a blank reads only inside double quotes, where the shell does not split it', () => {
  const words = lastRunWords('FROM python:3.11\nENV EXTRAS="a b"\nRUN pip install $EXTRAS "$EXTRAS"\n');
  assert.equal(words, [['pip', 'install', null, 'a b']]);
});

test('without an env, a word with an expansion is null as before', () => {
  const source = Source.fromText('FROM python:3.11\nENV V=1\nRUN pip install "poetry==$V"\n');
  const run = source.dockerfile.getInstructions()[2] as Run;
  const script = runScript(source, run)!;
  assert.ok(script.chain.ok, 'the chain reads');
  assert.equal(quotedWords(source, script.scriptStart, script.chain.commands[0]!), ['pip', 'install', null]);
});

test.run();

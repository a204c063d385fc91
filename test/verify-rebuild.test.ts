// The rebuild-after-an-edit measure: each side rebuilds from its own copy with its own edit, so the
// two edits must differ for every kind of file, or a rewrite that repeats the original's steps
// would find the original's fresh layers in the cache and look free.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { touchText } from '../src/verify/rebuild.js';

for (const file of ['src/index.ts', 'server.js', 'main.go', 'app.py', 'data/routes.json', 'public/style.css', 'views/index.html', 'templates/x.mustache']) {
  test(`${file}: the two sides' edits differ and keep the text as it was`, () => {
    const text = file.endsWith('.json') ? '{ "a": 1 }\n' : 'first line\n';
    const original = touchText(file, text, 'stageopt verify edit 12345 original');
    const rewrite = touchText(file, text, 'stageopt verify edit 12345 rewrite');
    assert.ok(original.startsWith(text) && rewrite.startsWith(text));
    assert.is.not(original, text);
    assert.is.not(rewrite, text);
    assert.is.not(original, rewrite);
    if (file.endsWith('.json')) assert.equal(JSON.parse(original), JSON.parse(text));
  });
}

test("a run's edit differs from every other run's: a JSON edit once depended on the marker's length only", () => {
  for (const file of ['package.json', 'server.js', 'requirements.txt']) {
    const edits = new Set(['11111', '22222', '33333', '44444'].map((run) => touchText(file, '{}\n', `stageopt verify edit ${run} original`)));
    assert.is(edits.size, 4, file);
  }
});

test.run();

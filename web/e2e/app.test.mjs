// End-to-end tests of the web app: the real `deepquartet serve` with a real
// model, driven in headless Chromium by Playwright like a user would.
//
// Environment: DQ_BIN (default ../build/deepquartet), DQ_MODEL (default
// ../models/bach.dqm), DQ_SERVE_ARGS (extra arguments for `serve`, e.g.
// "--iterations 5" for a quicker run), CHROMIUM (default /usr/bin/chromium).
// Screenshots go to e2e/artifacts/.

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const web = path.resolve(here, '..');
const root = path.resolve(web, '..');
const bin = path.resolve(root, process.env.DQ_BIN || 'build/deepquartet');
const model = path.resolve(root, process.env.DQ_MODEL || 'models/bach.dqm');
const artifacts = path.join(here, 'artifacts');
const JOB_TIMEOUT = 180_000;  // ms for a sampling job (a cold 2-core machine)

let server;
let baseUrl;
let browser;
let page;
const consoleErrors = [];

// Starts `deepquartet serve` on a free port; resolves with its URL.
function startServer() {
  return new Promise((resolve, reject) => {
    const extra = (process.env.DQ_SERVE_ARGS || '').split(/\s+/).filter(Boolean);
    server = spawn(bin, ['serve', '--port', '0', '--model', model, '--web', web, '--quiet', ...extra],
      { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    server.stdout.on('data', (chunk) => {
      out += chunk;
      const m = out.match(/http:\/\/127\.0\.0\.1:(\d+)\//);
      if (m) resolve(`http://127.0.0.1:${m[1]}`);
    });
    server.on('exit', (code) => reject(new Error(`deepquartet serve exited with ${code}: ${out}`)));
    setTimeout(() => reject(new Error('deepquartet serve did not start in 60 s')), 60_000);
  });
}

async function shot(name) {
  await page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true });
}

// The current piece as the server holds it (Score JSON without MusicXML).
async function currentPiece() {
  const href = await page.getAttribute('#downloads a[data-format="mid"]', 'href');
  const id = href.match(/\/api\/piece\/([0-9a-f]+)\//)[1];
  return page.evaluate(async (pieceId) => (await fetch(`/api/piece/${pieceId}?musicxml=0`)).json(), id);
}

async function version() {
  const text = await page.textContent('#status');
  const m = text.match(/version (\d+)/);
  return m ? Number(m[1]) : 0;
}

// Waits until the page shows a piece version other than `old` and the
// engraved score is in place.
async function waitForNewVersion(old) {
  await page.waitForFunction((v) => {
    const m = document.getElementById('status').textContent.match(/version (\d+)/);
    return m && Number(m[1]) !== v && !document.getElementById('regenerate').disabled;
  }, old, { timeout: JOB_TIMEOUT });
  await page.waitForSelector('#score svg g.note');
}

// Ticks [from, to) of bars fromBar..toBar (1-based).
function barTicks(score, fromBar, toBar) {
  const last = score.bars[toBar - 1];
  return [score.bars[fromBar - 1].start, last.start + last.length];
}

function expectOnlyChanged(before, after, from, to, voices) {
  for (let v = 0; v < 4; v++) {
    for (let t = 0; t < before.voices[v].length; t++) {
      if (voices.includes(v) && t >= from && t < to) continue;
      assert.equal(after.voices[v][t], before.voices[v][t], `voice ${v} tick ${t} changed outside the region`);
    }
  }
}

// The centre of bar `bar` (1-based) in the lane of `voice`, in page pixels.
async function laneCell(score, voice, bar) {
  const box = await page.locator(`.voice-row[data-voice="${voice}"] .grid-lane`).boundingBox();
  const b = score.bars[bar - 1];
  return { x: box.x + (box.width * (b.start + b.length / 2)) / score.ticks, y: box.y + box.height / 2 };
}

async function regenerateAndKeep(count, keep) {
  await page.selectOption('#alternatives', String(count));
  await page.click('#regenerate');
  await page.waitForSelector('#alternatives-panel:not([hidden])', { timeout: JOB_TIMEOUT });
  assert.equal(await page.locator('.keep-alternative').count(), count);
  const old = await version();
  await page.click(`.keep-alternative[data-alternative="${keep}"]`);
  await waitForNewVersion(old);
}

before(async () => {
  assert.ok(fs.existsSync(bin), `${bin} is missing: build deepquartet first (or set DQ_BIN)`);
  assert.ok(fs.existsSync(model), `${model} is missing (set DQ_MODEL)`);
  fs.mkdirSync(artifacts, { recursive: true });
  baseUrl = await startServer();
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required'],
  });
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
  page = await context.newPage();
  page.on('console', (msg) => {
    if (msg.type() === 'error') consoleErrors.push(msg.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  await page.goto(baseUrl);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
});

after(async () => {
  if (browser) await browser.close();
  if (server) server.kill('SIGTERM');
});

test('a new piece is composed and engraved', async () => {
  await page.fill('#bars', '4');
  await page.selectOption('#key', 'D major');
  await page.fill('#seed', '1');
  await page.click('#new-piece');
  await waitForNewVersion(0);
  const piece = await currentPiece();
  assert.equal(piece.score.bars.length, 4);
  assert.equal(piece.score.key.name, 'D major');
  assert.ok(await page.locator('.voice-row .note').count() > 8);
  await shot('01-new-piece');
});

test('dragging over bars and voices selects a region, and only it is regenerated', async () => {
  const before = (await currentPiece()).score;
  const start = await laneCell(before, 1, 2);
  const end = await laneCell(before, 2, 3);
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  await page.mouse.move(end.x, end.y, { steps: 8 });
  await page.mouse.up();
  assert.match(await page.textContent('#selection'), /Bars 2–3, Alto, Tenor/);
  assert.equal(await page.locator('.selection').count(), 2);
  await page.selectOption('#alternatives', '2');
  await page.click('#regenerate');
  await page.waitForSelector('#alternatives-panel:not([hidden])', { timeout: JOB_TIMEOUT });
  await page.waitForSelector('#preview-banner:not([hidden])');
  await page.click('.show-alternative[data-alternative="1"]');
  await shot('02-alternatives');
  const old = await version();
  await page.click('.keep-alternative[data-alternative="1"]');
  await waitForNewVersion(old);
  const after = (await currentPiece()).score;
  const [from, to] = barTicks(before, 2, 3);
  expectOnlyChanged(before, after, from, to, [1, 2]);
});

test('undo and redo with the keyboard', async () => {
  const regenerated = (await currentPiece()).score;
  let old = await version();
  await page.keyboard.press('Control+z');
  await waitForNewVersion(old);
  const undone = await currentPiece();
  assert.ok(undone.can_redo);
  old = await version();
  await page.keyboard.press('Control+y');
  await waitForNewVersion(old);
  assert.deepEqual((await currentPiece()).score.voices, regenerated.voices);
});

test('a locked note survives regeneration', async () => {
  await page.click('#select-all');
  const note = page.locator('.voice-row[data-voice="0"] .note').nth(1);
  const tick = Number(await note.getAttribute('data-tick'));
  const old = await version();
  await note.click();
  await waitForNewVersion(old);
  const before = (await currentPiece()).score;
  const run = before.locked[0].find(([s, e]) => tick >= s && tick < e);
  assert.ok(run, 'the clicked note is locked');
  assert.equal(await page.locator('.voice-row[data-voice="0"] .note.locked').count(), 1);
  await regenerateAndKeep(1, 0);
  const after = (await currentPiece()).score;
  for (let t = run[0]; t < run[1]; t++) assert.equal(after.voices[0][t], before.voices[0][t]);
  assert.deepEqual(after.locked[0], before.locked[0]);
  await shot('03-locked-note');
});

test('fermatas toggle per beat', async () => {
  const before = (await currentPiece()).score;
  const beat = page.locator('.beat:not(.on)').first();
  const tick = Number(await beat.getAttribute('data-tick'));
  const old = await version();
  await beat.click();
  await waitForNewVersion(old);
  const after = (await currentPiece()).score;
  assert.ok(after.fermatas.some(([s, e]) => tick >= s && tick < e));
  assert.equal(after.fermatas.length, before.fermatas.length + 1);
});

test('playback lights up the sounding notes', async () => {
  await page.click('#play');
  await page.waitForFunction(() => document.getElementById('audio').currentTime > 0.2, null, { timeout: 20_000 });
  await page.waitForSelector('#score g.note.playing', { timeout: 10_000 });
  await shot('04-playing');
  await page.click('#stop');
  assert.equal(await page.locator('#score g.note.playing').count(), 0);
});

test('every format downloads', async () => {
  const magic = { mid: 'MThd', musicxml: '<?xml', mxl: 'PK', wav: 'RIFF', png: '\x89PNG', pdf: '%PDF' };
  const hasMuseScore = spawnSync('sh', ['-c', 'command -v mscore3']).status === 0;
  for (const [format, head] of Object.entries(magic)) {
    if ((format === 'png' || format === 'pdf') && !hasMuseScore) continue;
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 120_000 }),
      page.click(`#downloads a[data-format="${format}"]`),
    ]);
    const bytes = fs.readFileSync(await download.path());
    assert.equal(bytes.subarray(0, head.length).toString('latin1'), head, `${format} download`);
    await download.saveAs(path.join(artifacts, `piece.${format}`));
  }
});

test('an uploaded melody is harmonized and kept in the soprano', async () => {
  // The melody of fixtures/melody.musicxml: MIDI pitches and onsets in ticks.
  const pitches = [67, 69, 71, 67, 72, 71, 69, 71, 72, 74, 71, 69, 66, 67];
  const starts = [0, 4, 8, 12, 16, 20, 24, 32, 36, 40, 44, 48, 52, 56];
  await page.setInputFiles('#melody-file', path.join(here, 'fixtures', 'melody.musicxml'));
  const old = await version();
  await page.click('#harmonize');
  await waitForNewVersion(old);
  assert.match(await page.textContent('#melody-report'), /Key: G major/);
  const piece = await currentPiece();
  const soprano = piece.score.notes[0];
  assert.deepEqual(soprano.map((n) => n.start), starts);
  const shift = soprano[0].pitch - pitches[0];
  assert.equal(shift % 12, 0);
  assert.deepEqual(soprano.map((n) => n.pitch - shift), pitches);
  assert.equal(piece.score.fermatas.length, 2);
  assert.deepEqual(piece.score.locked[0], [[0, piece.score.ticks]]);
  assert.equal(await page.textContent('.voice-row[data-voice="0"] .voice-lock'), 'locked');
  await shot('05-harmonized');
});

test('a 6/8 tune is harmonized in 6/8, the bass on the dotted-quarter beats', async () => {
  // Greensleeves with its eighth-note pickup (tests/fixtures/melodies): its notes, read off the kern file.
  const kern = fs.readFileSync(path.join(root, 'tests', 'fixtures', 'melodies', 'greensleeves-6-8.krn'), 'utf8');
  const melodyNotes = kern.split('\n').filter((line) => /^\{?\d+\.?[a-gA-G]/.test(line)).length;
  await page.setInputFiles('#melody-file', path.join(root, 'tests', 'fixtures', 'melodies', 'greensleeves-6-8.krn'));
  // A new piece (its version starts again at 1, as the last harmonized one's did): wait for its address.
  const oldHref = await page.getAttribute('#downloads a[data-format="mid"]', 'href');
  await page.click('#harmonize');
  await page.waitForFunction((href) => {
    const link = document.querySelector('#downloads a[data-format="mid"]');
    return link && link.getAttribute('href') !== href && !document.getElementById('regenerate').disabled;
  }, oldHref, { timeout: JOB_TIMEOUT });
  await page.waitForSelector('#score svg g.note');
  assert.match(await page.textContent('#melody-report'), /Key: A minor/);
  const piece = await currentPiece();
  assert.equal(piece.score.meter, '6/8');
  assert.equal(piece.score.ticks_per_beat, 6);
  assert.equal(piece.score.pickup_ticks, 2);
  assert.equal(piece.score.notes[0].length, melodyNotes);
  // Every bass note after the pickup starts on a dotted-quarter beat.
  for (const note of piece.score.notes[3]) {
    if (note.start < piece.score.pickup_ticks) continue;
    assert.equal((note.start - piece.score.pickup_ticks) % 6, 0, `bass note at tick ${note.start}`);
  }
  assert.ok(piece.score.bars.slice(1).every((bar) => bar.length === 12), 'every full bar 12 sixteenths');
  const musicxmlHref = await page.getAttribute('#downloads a[data-format="musicxml"]', 'href');
  const musicxml = await page.evaluate(async (href) => (await fetch(href)).text(), musicxmlHref);
  assert.match(musicxml, /<beats>6<\/beats>\s*<beat-type>8<\/beat-type>/);
  await shot('05b-harmonized-6-8');
});

test('no console errors in the normal flow', () => {
  assert.deepEqual(consoleErrors, []);
});

test('a broken upload shows the server\'s message', async () => {
  await page.setInputFiles('#melody-file', path.join(here, 'fixtures', 'broken.mid'));
  await page.click('#harmonize');
  await page.waitForSelector('#message:not([hidden])');
  assert.match(await page.textContent('#message'), /broken\.mid/);
  await shot('06-error');
});

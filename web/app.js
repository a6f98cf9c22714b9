// The deepquartet page: compose a piece, choose a region of bars and voices,
// regenerate it, audition the alternatives and keep one; lock notes and
// voices, toggle fermatas, harmonize an uploaded melody, undo and redo,
// play the piece and download it. All music is made on the server (docs/api.md);
// the page only shows it and sends the user's gestures.

import { ApiError, call, finish, upload } from './api.js';
import { Grid, inRuns } from './grid.js';
import { ScoreView } from './score_view.js';

const $ = (id) => document.getElementById(id);

const KEYS = [
  'C major', 'G major', 'D major', 'A major', 'E major', 'B major', 'F# major', 'Db major', 'Ab major', 'Eb major',
  'Bb major', 'F major', 'A minor', 'E minor', 'B minor', 'F# minor', 'C# minor', 'G# minor', 'D minor', 'G minor',
  'C minor', 'F minor', 'Bb minor', 'Eb minor',
];

const state = {
  piece: null,         // the current piece (GET /api/piece/{id})
  selection: null,     // {fromBar, toBar, voices} or null for the whole piece
  alternatives: null,  // the last regeneration's result, waiting for a choice
  preview: -1,         // index of the alternative shown, -1: the piece itself
  busy: false,         // a sampling job is running
  cancelRequested: false,
};

const grid = new Grid($('grid'), {
  onSelect: (selection) => {
    state.selection = selection;
    showSelection();
  },
  onLockNote: (voice, tick) => lockNote(voice, tick),
  onLockVoice: (voice, locked) => edit('lock', { voice, locked }),
  onFermata: (tick, on) => edit('fermata', { tick, on }),
});
const scoreView = new ScoreView($('score'), { onNoteClick: (voice, tick) => lockNote(voice, tick) });

// ---- Messages -------------------------------------------------------------

function showError(error) {
  const box = $('message');
  box.textContent = error instanceof ApiError || error instanceof Error ? error.message : String(error);
  box.hidden = false;
}

function clearError() {
  $('message').hidden = true;
  $('message').textContent = '';
}

function setStatus(text) {
  $('status').textContent = text;
}

// Runs `action`, showing its error if it fails. Returns its result or null.
async function guarded(action) {
  try {
    const result = await action();
    clearError();
    return result;
  } catch (e) {
    if (e instanceof ApiError && e.message === 'cancelled') {
      setStatus('Cancelled.');
      return null;
    }
    showError(e);
    return null;
  }
}

// ---- Showing the piece ----------------------------------------------------

function shownScore() {
  return state.preview >= 0 ? state.alternatives.alternatives[state.preview] : state.piece.score;
}

function regionOf(selection, score) {
  if (!selection) return null;
  const last = score.bars[selection.toBar - 1];
  return { fromTick: score.bars[selection.fromBar - 1].start, toTick: last.start + last.length, voices: selection.voices };
}

async function render() {
  const piece = state.piece;
  $('grid-panel').hidden = !piece;
  $('piece-panel').hidden = !piece;
  if (!piece) return;
  const score = shownScore();
  const previewing = state.preview >= 0;
  grid.render(score, state.selection, !previewing && !state.busy);
  $('undo').disabled = !piece.can_undo || state.busy;
  $('redo').disabled = !piece.can_redo || state.busy;
  $('play').disabled = false;
  $('stop').disabled = false;
  $('piece-key').value = KEYS.includes(score.key.name) ? score.key.name : $('piece-key').value;
  $('piece-meter').value = score.meter;
  for (const a of document.querySelectorAll('#downloads a')) {
    const format = a.dataset.format;
    a.href = `/api/piece/${piece.id}/export.${format}?download=1`;
    a.download = `deepquartet.${format === 'mid' ? 'mid' : format}`;
  }
  const banner = $('preview-banner');
  banner.hidden = !previewing;
  if (previewing) {
    banner.textContent = `Showing alternative ${state.preview + 1} of ${state.alternatives.alternatives.length}` +
      ' (not kept yet)';
  }
  setStatus(`${score.bars.length} bars · ${score.key.name} · ${score.meter} · version ${piece.version}`);
  try {
    await scoreView.show(score, regionOf(state.selection, score), !previewing && !state.busy);
  } catch (e) {
    showError(e);
  }
}

function showPiece(piece) {
  const keepSelection = state.piece && state.piece.id === piece.id && state.selection &&
    state.selection.toBar <= piece.score.bars.length;
  state.piece = piece;
  if (!keepSelection) state.selection = null;
  state.alternatives = null;
  state.preview = -1;
  stop();
  $('alternatives-panel').hidden = true;
  showSelection(false);
  return render();
}

function showSelection(redraw = true) {
  const s = state.selection;
  const names = state.piece ? state.piece.score.part_names : [];
  $('selection').textContent = s
    ? `Bars ${s.fromBar}–${s.toBar}, ${s.voices.map((v) => names[v] || `voice ${v + 1}`).join(', ')}`
    : 'No region selected: the whole piece will be regenerated.';
  if (redraw && state.piece) render();
}

// ---- Sampling jobs --------------------------------------------------------

function setBusy(busy) {
  state.busy = busy;
  state.cancelRequested = false;
  for (const id of ['new-piece', 'harmonize', 'regenerate', 'apply-settings']) $(id).disabled = busy;
  $('cancel').hidden = !busy;
  $('progress').hidden = !busy;
  $('progress').value = 0;
  if (state.piece) render();
}

async function runJob(label, submit) {
  setBusy(true);
  setStatus(`${label}…`);
  try {
    const job = await submit();
    return await finish(job, {
      onProgress: (f) => {
        $('progress').value = f;
        setStatus(`${label}… ${Math.round(f * 100)}%`);
      },
      isCancelled: () => state.cancelRequested,
    });
  } finally {
    setBusy(false);
  }
}

function samplingFields() {
  const fields = { temperature: Number($('temperature').value) || 1 };
  if ($('style').value) fields.style = $('style').value;
  if ($('seed').value !== '') fields.seed = Number($('seed').value);
  return fields;
}

async function newPiece() {
  await guarded(async () => {
    const body = {
      bars: Number($('bars').value),
      key: $('key').value,
      meter: $('meter').value,
      fermatas: $('fermatas').value,
      ...samplingFields(),
    };
    const piece = await runJob('Composing', () => call('POST', '/api/piece', body));
    await showPiece(piece);
    setStatus(`New piece (seed ${piece.seed}) · ${$('status').textContent}`);
  });
}

async function harmonize() {
  const file = $('melody-file').files[0];
  if (!file) {
    showError('Choose a melody file first (.mid, .musicxml, .xml, .mxl or .krn).');
    return;
  }
  await guarded(async () => {
    const form = new FormData();
    form.append('file', file, file.name);
    form.append('key', $('melody-key').value);
    form.append('fermatas', $('melody-fermatas').value);
    const fields = samplingFields();
    for (const [name, value] of Object.entries(fields)) form.append(name, String(value));
    const piece = await runJob('Harmonizing', () => upload('/api/reharmonize', form));
    const r = piece.report;
    const shift = r.transposition ? ` · transposed ${r.transposition > 0 ? 'up' : 'down'} ${Math.abs(r.transposition)} semitones to fit the range` : '';
    $('melody-report').textContent = `Key: ${r.key.name} (${r.key_detected ? 'detected' : 'given'}) · ` +
      `${r.fermatas} fermata${r.fermatas === 1 ? '' : 's'} (${r.fermatas_at_bar_lines ? 'at the bar lines' : r.fermatas_inferred ? 'inferred' : 'from the file'})${shift}. ` +
      'Change the key or fermatas and press Harmonize again, or edit the fermatas in the grid.';
    if (KEYS.includes(r.key.name)) $('melody-key').value = r.key.name;
    await showPiece(piece);
  });
}

async function regenerate() {
  if (!state.piece) return;
  await guarded(async () => {
    // The seed field is for new pieces: each regeneration draws new music.
    const body = { alternatives: Number($('alternatives').value), temperature: Number($('temperature').value) || 1 };
    if (state.selection) {
      body.from_bar = state.selection.fromBar;
      body.to_bar = state.selection.toBar;
      body.voices = state.selection.voices;
    }
    const id = state.piece.id;
    const result = await runJob('Regenerating', () => call('POST', `/api/piece/${id}/regenerate`, body));
    if (result.stale) throw new ApiError('The piece changed while it was being regenerated; try again.', 409);
    state.alternatives = result;
    state.preview = 0;
    showAlternatives();
    await render();
  });
}

function showAlternatives() {
  const list = $('alternative-list');
  list.replaceChildren();
  state.alternatives.alternatives.forEach((_, i) => {
    const group = document.createElement('span');
    group.className = `alternative${i === state.preview ? ' shown' : ''}`;
    const show = button(`Show ${i + 1}`, () => {
      state.preview = i;
      showAlternatives();
      render();
    });
    show.dataset.alternative = i;
    show.className = 'show-alternative';
    const play = button(`▶ ${i + 1}`, () => {
      state.preview = i;
      showAlternatives();
      render().then(() => playShown());
    });
    play.className = 'play-alternative';
    play.title = `Play alternative ${i + 1}`;
    const keep = button(`Keep ${i + 1}`, () => choose(i));
    keep.className = 'keep-alternative';
    keep.dataset.alternative = i;
    group.append(show, play, keep);
    list.append(group);
  });
  $('alternatives-panel').hidden = false;
}

function button(text, onClick) {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = text;
  b.addEventListener('click', onClick);
  return b;
}

async function choose(index) {
  await guarded(async () => {
    const piece = await call('POST', `/api/piece/${state.piece.id}/choose`, { index });
    await showPiece(piece);
  });
}

// ---- Edits ----------------------------------------------------------------

// Posts an edit (lock, fermata, undo, redo, settings) and shows the result.
async function edit(action, body) {
  if (!state.piece || state.busy || state.preview >= 0) return;
  await guarded(async () => {
    const old = state.piece;
    const piece = await call('POST', `/api/piece/${old.id}/${action}`, body);
    // Locks do not change the music: the answer leaves the MusicXML out.
    if (piece.score.musicxml === undefined) piece.score.musicxml = old.score.musicxml;
    await showPiece(piece);
  });
}

function lockNote(voice, tick) {
  if (!state.piece) return;
  const locked = inRuns(state.piece.score.locked[voice], tick);
  edit('lock', { voice, tick, locked: !locked });
}

async function sendSettings() {
  if (!state.piece) return;
  const body = { temperature: Number($('temperature').value) || 1 };
  if ($('style').value) body.style = $('style').value;
  await guarded(async () => {
    const piece = await call('POST', `/api/piece/${state.piece.id}/settings`, body);
    state.piece.settings = piece.settings;
  });
}

// ---- Playback -------------------------------------------------------------

// Seconds from the start to each tick, as the server's WAV plays them.
function tickTimes(score) {
  const perTick = 60 / (score.tempo_bpm * score.ticks_per_quarter);
  const starts = new Array(score.ticks + 1);
  let t = 0;
  for (let i = 0; i < score.ticks; i++) {
    starts[i] = t;
    t += inRuns(score.fermatas, i) ? perTick * score.fermata_stretch : perTick;
  }
  starts[score.ticks] = t;
  return starts;
}

let animation = null;

function playShown() {
  if (!state.piece) return;
  const audio = $('audio');
  const score = shownScore();
  const alt = state.preview >= 0 ? `&alternative=${state.preview}` : '';
  audio.src = `/api/piece/${state.piece.id}/export.wav?v=${state.piece.version}${alt}`;
  const times = tickTimes(score);
  audio.play().catch((e) => showError(`Cannot play the audio: ${e.message}`));
  cancelAnimationFrame(animation);
  const step = () => {
    if (audio.paused || audio.ended) {
      scoreView.highlight(null);
      grid.showCursor(null);
      return;
    }
    const now = audio.currentTime;
    let tick = 0;
    while (tick + 1 < score.ticks && times[tick + 1] <= now) tick++;
    scoreView.highlight(now < times[score.ticks] ? tick : null);
    grid.showCursor(now < times[score.ticks] ? tick : null);
    animation = requestAnimationFrame(step);
  };
  animation = requestAnimationFrame(step);
}

function stop() {
  const audio = $('audio');
  audio.pause();
  if (audio.src) audio.currentTime = 0;
  cancelAnimationFrame(animation);
  scoreView.highlight(null);
  grid.showCursor(null);
}

// ---- Setup ----------------------------------------------------------------

function fillKeys(select) {
  for (const key of KEYS) select.append(new Option(key, key));
}

async function loadModel() {
  const model = await call('GET', '/api/model');
  const styles = model.styles.length ? model.styles : [''];
  for (const style of styles) $('style').append(new Option(style || 'default', style));
  const limits = model.limits;
  $('bars').max = String(limits.max_bars);
  $('alternatives').replaceChildren(...Array.from({ length: limits.max_alternatives }, (_, i) => new Option(String(i + 1))));
  $('alternatives').value = String(Math.min(3, limits.max_alternatives));
  const metrics = model.metrics || {};
  const accuracy = metrics.valid ? metrics.valid.mean_accuracy : metrics.mean_accuracy;
  $('model-info').textContent = `model: ${model.preset}, ${(model.parameters / 1e6).toFixed(2)} M parameters` +
    (typeof accuracy === 'number' ? `, validation accuracy ${(100 * accuracy).toFixed(1)}%` : '');
}

function setup() {
  fillKeys($('key'));
  fillKeys($('melody-key'));
  fillKeys($('piece-key'));
  $('new-form').addEventListener('submit', (e) => {
    e.preventDefault();
    newPiece();
  });
  $('melody-form').addEventListener('submit', (e) => {
    e.preventDefault();
    harmonize();
  });
  $('melody-file').addEventListener('change', () => {
    $('melody-key').value = 'auto';
    $('melody-report').textContent = '';
  });
  $('regenerate').addEventListener('click', regenerate);
  $('cancel').addEventListener('click', () => {
    state.cancelRequested = true;
    setStatus('Cancelling…');
  });
  $('select-all').addEventListener('click', () => {
    state.selection = null;
    showSelection();
  });
  $('discard').addEventListener('click', () => {
    state.alternatives = null;
    state.preview = -1;
    $('alternatives-panel').hidden = true;
    render();
  });
  $('undo').addEventListener('click', () => edit('undo'));
  $('redo').addEventListener('click', () => edit('redo'));
  $('play').addEventListener('click', playShown);
  $('stop').addEventListener('click', stop);
  $('apply-settings').addEventListener('click', () =>
    edit('settings', { key: $('piece-key').value, meter: $('piece-meter').value }));
  $('style').addEventListener('change', sendSettings);
  $('temperature').addEventListener('change', sendSettings);
  document.addEventListener('keydown', (e) => {
    if (!(e.ctrlKey || e.metaKey) || e.target.closest('input, select, textarea')) return;
    const key = e.key.toLowerCase();
    if (key === 'z' && !e.shiftKey) {
      e.preventDefault();
      if (!$('undo').disabled) edit('undo');
    } else if (key === 'y' || (key === 'z' && e.shiftKey)) {
      e.preventDefault();
      if (!$('redo').disabled) edit('redo');
    }
  });
  let resizeTimer = null;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => state.piece && render(), 250);
  });
  guarded(loadModel);
  setStatus('Loading the score engraver…');
  scoreView.ready().then(
    () => {
      document.body.dataset.ready = 'true';
      if (!state.piece) setStatus('Ready.');
    },
    (e) => showError(`Cannot load Verovio: ${e.message}`));
}

setup();

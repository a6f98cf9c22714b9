// The region grid under the score: four voice lanes across the bars, with
// the notes as blocks, a row of beats for fermatas and a row of bar numbers.
// Dragging over bars and lanes selects a region; clicking a note locks or
// unlocks it; clicking a voice's lock button locks or unlocks the voice;
// clicking a beat toggles its fermata. The grid only reports these gestures
// through its callbacks; the page decides what to do with them.

const DRAG_PIXELS = 4;  // a pointer moving less than this is a click

function el(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

// True if tick `t` lies in one of the [start, end) runs.
export function inRuns(runs, t) {
  return runs.some(([start, end]) => t >= start && t < end);
}

export class Grid {
  // callbacks: onSelect({fromBar, toBar, voices}), onLockNote(voice, tick),
  // onLockVoice(voice, locked), onFermata(tick, on)
  constructor(container, callbacks) {
    this.container = container;
    this.callbacks = callbacks;
    this.score = null;
    this.selection = null;
    this.editable = true;
    this.drag = null;
    container.addEventListener('pointerdown', (e) => this.pointerDown(e));
    window.addEventListener('pointermove', (e) => this.pointerMove(e));
    window.addEventListener('pointerup', (e) => this.pointerUp(e));
  }

  // Draws `score` (Score JSON). `editable` false: a preview, no gestures.
  render(score, selection, editable) {
    this.score = score;
    this.selection = selection;
    this.editable = editable;
    const c = this.container;
    c.replaceChildren();
    c.classList.toggle('readonly', !editable);
    const pct = (tick) => `${(100 * tick) / score.ticks}%`;

    const fermataRow = el('div', 'grid-row fermata-row');
    fermataRow.append(el('div', 'grid-head', 'Fermatas'));
    const beatsLane = el('div', 'grid-lane');
    score.beats.forEach((start, i) => {
      const end = i + 1 < score.beats.length ? score.beats[i + 1] : score.ticks;
      const on = inRuns(score.fermatas, start);
      const cell = el('button', `beat${on ? ' on' : ''}`);
      cell.type = 'button';
      cell.style.left = pct(start);
      cell.style.width = pct(end - start);
      cell.dataset.tick = start;
      cell.title = on ? 'Remove the fermata' : 'Add a fermata on this beat';
      cell.setAttribute('aria-label', `fermata at tick ${start}: ${on ? 'on' : 'off'}`);
      beatsLane.append(cell);
    });
    fermataRow.append(beatsLane);
    c.append(fermataRow);

    for (let v = 0; v < 4; v++) {
      const row = el('div', 'grid-row voice-row');
      row.dataset.voice = v;
      const head = el('div', 'grid-head');
      const fullyLocked = score.locked[v].length === 1 && score.locked[v][0][0] === 0 && score.locked[v][0][1] === score.ticks;
      head.append(el('span', 'voice-name', score.part_names[v] || `Voice ${v + 1}`));
      const lock = el('button', `voice-lock${fullyLocked ? ' on' : ''}`, fullyLocked ? 'locked' : 'lock');
      lock.type = 'button';
      lock.dataset.voice = v;
      lock.title = fullyLocked ? 'Unlock this voice' : 'Lock this whole voice';
      lock.setAttribute('aria-label', `${fullyLocked ? 'unlock' : 'lock'} voice ${v + 1}`);
      head.append(lock);
      row.append(head);

      const lane = el('div', 'grid-lane');
      lane.dataset.voice = v;
      for (const bar of score.bars) {
        const cell = el('div', 'bar-cell');
        cell.style.left = pct(bar.start);
        cell.style.width = pct(bar.length);
        lane.append(cell);
      }
      if (selection && selection.voices.includes(v)) {
        const from = score.bars[selection.fromBar - 1].start;
        const last = score.bars[selection.toBar - 1];
        const sel = el('div', 'selection');
        sel.style.left = pct(from);
        sel.style.width = pct(last.start + last.length - from);
        lane.append(sel);
      }
      for (const note of score.notes[v]) {
        const locked = inRuns(score.locked[v], note.start);
        const block = el('div', `note${locked ? ' locked' : ''}`, note.name);
        block.style.left = pct(note.start);
        block.style.width = pct(note.length);
        block.dataset.voice = v;
        block.dataset.tick = note.start;
        block.title = `${note.name}${locked ? ' (locked: click to unlock)' : ' (click to lock)'}`;
        lane.append(block);
      }
      row.append(lane);
      c.append(row);
    }

    const barRow = el('div', 'grid-row bar-row');
    barRow.append(el('div', 'grid-head'));
    const numbers = el('div', 'grid-lane');
    for (const bar of score.bars) {
      const n = el('div', 'bar-number', String(bar.number));
      n.style.left = pct(bar.start);
      n.style.width = pct(bar.length);
      numbers.append(n);
    }
    barRow.append(numbers);
    c.append(barRow);

    this.cursor = el('div', 'play-cursor');
    this.cursor.hidden = true;
    c.append(this.cursor);
  }

  // Shows the playback position at `tick` (null hides it).
  showCursor(tick) {
    if (!this.cursor || !this.score) return;
    if (tick === null) {
      this.cursor.hidden = true;
      return;
    }
    const lane = this.container.querySelector('.voice-row .grid-lane');
    const box = lane.getBoundingClientRect();
    const outer = this.container.getBoundingClientRect();
    this.cursor.hidden = false;
    this.cursor.style.left = `${box.left - outer.left + (box.width * tick) / this.score.ticks}px`;
  }

  // The voice lane and bar (1-based) under the pointer, clamped to the grid.
  cellAt(x, y) {
    const lanes = [...this.container.querySelectorAll('.voice-row .grid-lane')];
    if (!lanes.length) return null;
    let voice = 0;
    lanes.forEach((lane, v) => {
      if (y >= lane.getBoundingClientRect().top) voice = v;
    });
    const box = lanes[0].getBoundingClientRect();
    const frac = Math.min(Math.max((x - box.left) / box.width, 0), 0.999999);
    const tick = Math.floor(frac * this.score.ticks);
    let bar = 1;
    this.score.bars.forEach((b, i) => {
      if (tick >= b.start) bar = i + 1;
    });
    return { voice, bar };
  }

  pointerDown(e) {
    if (!this.score || !this.editable || e.button !== 0) return;
    const beat = e.target.closest('.beat');
    if (beat) {
      this.callbacks.onFermata(Number(beat.dataset.tick), !beat.classList.contains('on'));
      return;
    }
    const lock = e.target.closest('.voice-lock');
    if (lock) {
      this.callbacks.onLockVoice(Number(lock.dataset.voice), !lock.classList.contains('on'));
      return;
    }
    if (!e.target.closest('.grid-lane') || e.target.closest('.bar-row')) return;
    const cell = this.cellAt(e.clientX, e.clientY);
    const note = e.target.closest('.note');
    this.drag = { x: e.clientX, y: e.clientY, start: cell, end: cell, note, moved: false };
    e.preventDefault();
  }

  pointerMove(e) {
    if (!this.drag) return;
    if (Math.abs(e.clientX - this.drag.x) + Math.abs(e.clientY - this.drag.y) >= DRAG_PIXELS) this.drag.moved = true;
    if (!this.drag.moved) return;
    this.drag.end = this.cellAt(e.clientX, e.clientY);
    this.render(this.score, this.dragSelection(), this.editable);
  }

  pointerUp(e) {
    const drag = this.drag;
    if (!drag) return;
    this.drag = null;
    if (!drag.moved && drag.note) {
      this.callbacks.onLockNote(Number(drag.note.dataset.voice), Number(drag.note.dataset.tick));
      return;
    }
    drag.end = drag.moved ? this.cellAt(e.clientX, e.clientY) : drag.start;
    this.drag = drag;
    const selection = this.dragSelection();
    this.drag = null;
    this.callbacks.onSelect(selection);
  }

  dragSelection() {
    const { start, end } = this.drag;
    const voices = [];
    for (let v = Math.min(start.voice, end.voice); v <= Math.max(start.voice, end.voice); v++) voices.push(v);
    return { fromBar: Math.min(start.bar, end.bar), toBar: Math.max(start.bar, end.bar), voices };
  }
}

// The engraved score: Verovio (WebAssembly, in the browser) renders the
// MusicXML the server sends as SVG. Its timemap ties every drawn note to its
// voice and tick, so the page can mark locked notes and the selected region,
// light up the notes sounding during playback, and report clicks on notes.

import createVerovioModule from './node_modules/verovio/dist/verovio-module.mjs';
import { VerovioToolkit } from './node_modules/verovio/dist/verovio.mjs';
import { inRuns } from './grid.js';

const SCALE = 40;  // Verovio's zoom in percent

export class ScoreView {
  // onNoteClick(voice, tick) is called when the user clicks a note.
  constructor(container, { onNoteClick }) {
    this.container = container;
    this.toolkit = null;
    this.loading = null;
    this.notes = new Map();  // SVG id -> {voice, start, end, element}
    this.playing = [];
    container.addEventListener('click', (e) => {
      const g = e.target.closest('.note');
      const note = g && this.notes.get(g.id);
      if (note && this.clickable) onNoteClick(note.voice, note.start);
    });
  }

  // Loads Verovio once (seconds: it compiles 7 MB of WebAssembly).
  ready() {
    if (!this.loading) {
      this.loading = createVerovioModule().then((module) => {
        this.toolkit = new VerovioToolkit(module);
        return this.toolkit;
      });
    }
    return this.loading;
  }

  // Renders `score` (Score JSON with its "musicxml"), marking the notes of
  // `region` ({fromTick, toTick, voices} or null) and the locked ones.
  // `clickable` false: clicks on notes are ignored (a preview).
  async show(score, region, clickable) {
    const tk = await this.ready();
    const width = Math.max(600, this.container.clientWidth - 20);
    tk.setOptions({
      pageWidth: Math.round((width * 100) / SCALE),
      pageHeight: 60000,
      adjustPageHeight: true,
      scale: SCALE,
      breaks: 'auto',
      header: 'none',
      footer: 'none',
    });
    if (!tk.loadData(score.musicxml)) throw new Error('Verovio could not read the score');
    let svg = '';
    for (let page = 1; page <= tk.getPageCount(); page++) svg += tk.renderToSVG(page);
    this.container.innerHTML = svg;
    this.clickable = clickable;
    this.mapNotes(tk.renderToTimemap({ includeMeasures: false }), score);
    this.mark(score, region);
  }

  // Ties every SVG note to {voice, start, end} through the timemap: its
  // quarter-note stamp gives the tick, its staff the voice.
  mapNotes(timemap, score) {
    this.notes.clear();
    for (const entry of timemap) {
      const tick = Math.round((entry.qstamp || 0) * score.ticks_per_quarter);
      for (const id of entry.on || []) {
        const element = document.getElementById(id);
        const staff = element && element.closest('.staff');
        if (!staff) continue;
        const staves = [...staff.parentElement.children].filter((c) => c.classList.contains('staff'));
        this.notes.set(id, { voice: staves.indexOf(staff), start: tick, end: tick + 1, element });
      }
      for (const id of entry.off || []) {
        const note = this.notes.get(id);
        if (note) note.end = Math.max(note.start + 1, tick);
      }
    }
  }

  mark(score, region) {
    for (const note of this.notes.values()) {
      const { voice, start, element } = note;
      element.classList.toggle('locked', voice >= 0 && inRuns(score.locked[voice], start));
      const inRegion = region && region.voices.includes(voice) && start < region.toTick && note.end > region.fromTick;
      element.classList.toggle('in-region', !!inRegion);
    }
  }

  // Lights up the notes sounding at `tick` (null: none).
  highlight(tick) {
    for (const e of this.playing) e.classList.remove('playing');
    this.playing = [];
    if (tick === null) return;
    for (const note of this.notes.values()) {
      if (note.start <= tick && tick < note.end) {
        note.element.classList.add('playing');
        this.playing.push(note.element);
      }
    }
  }
}

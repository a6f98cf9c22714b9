// deepquartet.js: what the deepquartet MuseScore 3 plugin does, apart from
// its window. deepquartet.qml (the dialog) and the headless tests call the
// same functions.
//
// The open score travels to `deepquartet serve` as MusicXML in the body of
// an HTTP request (never through a shared path): POST /api/piece/import
// makes it a piece on the server, POST /api/piece/{id}/regenerate resamples
// the selected staves and bars with the rest of the score as context, and
// the alternatives come back as token grids (docs/api.md). The chosen
// alternative is written into the open score through the cursor API, inside
// the selection only, as one command that MuseScore's own undo takes back
// (plus one step for each tie inside a bar, which MuseScore 3.2's plugin API
// can only add through its "tie" command).
//
// Every function takes a context `ctx`:
//   ctx.ms           the plugin item (curScore, cmd, writeScore, readScore, Element...)
//   ctx.io           a FileIO item (for MuseScore's own MusicXML export)
//   ctx.server       "http://127.0.0.1:8080"
//   ctx.synchronous  true: blocking requests (headless runs, where MuseScore
//                    never delivers an asynchronous answer); false: asynchronous
//   ctx.status(text) shows progress and messages
// and ends by calling `done(error, result)` once: `error` is a message for
// the user (null on success). With ctx.synchronous the call returns after
// `done` has run.
//
// ES5 only: MuseScore 3.2-3.6 ship QML engines that know no later JavaScript.

var SERVER_TICKS_PER_QUARTER = 4;   // the server's grid: sixteenths
var STAVES = 4;                     // soprano/violin I .. bass/cello
// Lengths in sixteenths that one note value writes (whole, dotted half, half,
// dotted quarter, quarter, dotted eighth, eighth, sixteenth); longer or odd
// lengths become tied notes.
var NOTE_VALUES = [16, 12, 8, 6, 4, 3, 2, 1];
var HOLD = -2, REST = -1;

function msPerTick(ctx) {
    return ctx.ms.division / SERVER_TICKS_PER_QUARTER;
}

// ---- HTTP ----------------------------------------------------------------

// Sends one request; calls back(error, status, answer): the answer parsed as
// JSON, or its text when `text` is true. `error` names the server and what
// went wrong; a JSON {"error"} answer is passed as error too.
function request(ctx, method, path, body, contentType, back, text) {
    var xhr = new XMLHttpRequest();
    var url = ctx.server.replace(/\/+$/, "") + path;
    var answered = false;
    function finish() {
        if (answered) return;
        answered = true;
        if (xhr.status === 0) {
            back("No deepquartet server answers at " + ctx.server +
                 ". Start one in a terminal: deepquartet serve", 0, null);
            return;
        }
        var json = null;
        try { json = JSON.parse(xhr.responseText); } catch (e) { json = null; }
        if (xhr.status >= 400) {
            var message = json && json.error ? json.error : ("HTTP " + xhr.status);
            back("The server says: " + message, xhr.status, json);
            return;
        }
        if (text) {
            back(null, xhr.status, xhr.responseText);
            return;
        }
        if (json === null) {
            back("The server's answer to " + method + " " + path + " is not JSON", xhr.status, null);
            return;
        }
        back(null, xhr.status, json);
    }
    if (!ctx.synchronous) {
        xhr.onreadystatechange = function () {
            if (xhr.readyState === XMLHttpRequest.DONE) finish();
        };
    }
    try {
        xhr.open(method, url, !ctx.synchronous);
        if (contentType) xhr.setRequestHeader("Content-Type", contentType);
        xhr.send(body === undefined || body === null ? "" : body);
    } catch (e) {
        answered = true;
        back("Cannot reach " + ctx.server + ": " + e, 0, null);
        return;
    }
    if (ctx.synchronous) finish();
}

// Follows a job (the answer 202 of a sampling request) to its end with long
// polling; calls back(error, result).
function followJob(ctx, job, back) {
    function step(error, status, j) {
        if (error) { back(error, null); return; }
        if (j.state === "done") { back(null, j.result); return; }
        if (j.state === "failed" || j.state === "cancelled") {
            back("The server could not do it: " + (j.error || j.state), null);
            return;
        }
        ctx.status("Working... " + Math.round(100 * (j.progress || 0)) + "%");
        request(ctx, "GET", "/api/job/" + j.id + "?wait=2", null, null, step);
    }
    step(null, 202, job);
}

// ---- Reading the open score ----------------------------------------------

// The range selection as {startStaff, endStaff, startTick, endTick} in
// MuseScore ticks (endTick exclusive), or null when nothing is selected.
function selectedRegion(ctx) {
    var score = ctx.ms.curScore;
    var cursor = score.newCursor();
    cursor.rewind(1);
    if (!cursor.segment) return null;
    var region = { startStaff: cursor.staffIdx, startTick: cursor.tick };
    cursor.rewind(2);
    region.endStaff = cursor.staffIdx;
    region.endTick = cursor.tick === 0 ? score.lastSegment.tick : cursor.tick;
    if (region.endTick <= region.startTick) return null;
    return region;
}

// Measure number (1-based, counting a pickup as 1) holding MuseScore tick `tick`.
function barAt(ctx, tick) {
    var bar = 0;
    for (var m = ctx.ms.curScore.firstMeasure; m; m = m.nextMeasure) {
        if (m.firstSegment.tick > tick) break;
        ++bar;
    }
    return Math.max(bar, 1);
}

// A cursor on `staff`, voice `voice`, at the first segment at or after `tick`.
function cursorAt(ctx, staff, voice, tick) {
    var cursor = ctx.ms.curScore.newCursor();
    cursor.rewind(0);
    cursor.staffIdx = staff;
    cursor.voice = voice;
    while (cursor.segment && cursor.tick < tick) cursor.next();
    return cursor;
}

// What the server's grid cannot hold in `region`: a message naming the staff
// and bar, or null. (Outside the region the server quantizes and says so.)
function unsupportedContent(ctx, region) {
    var ms = ctx.ms;
    var score = ms.curScore;
    if (score.nstaves !== STAVES) {
        return "deepquartet writes four staves (soprano, alto, tenor, bass or a string quartet); this score has " +
               score.nstaves + ".";
    }
    var grid = msPerTick(ctx);
    for (var staff = region.startStaff; staff <= region.endStaff; ++staff) {
        for (var voice = 0; voice < 4; ++voice) {
            var cursor = cursorAt(ctx, staff, voice, region.startTick);
            for (; cursor.segment && cursor.tick < region.endTick; cursor.next()) {
                var e = cursor.element;
                if (!e) continue;
                var where = " in staff " + (staff + 1) + ", bar " + barAt(ctx, cursor.tick) + ".";
                if (voice > 0 && e.type === ms.Element.CHORD) {
                    return "deepquartet writes one voice per staff: there is a second voice" + where;
                }
                if (e.type === ms.Element.CHORD && e.notes.length > 1) {
                    return "deepquartet writes one note at a time per staff: there is a chord of " +
                           e.notes.length + " notes" + where;
                }
                if (cursor.tick % grid !== 0) {
                    return "deepquartet's grid is the sixteenth note: there is a tuplet or a shorter note" + where;
                }
            }
        }
    }
    return null;
}

// The open score as MusicXML text, from MuseScore's own exporter (into a
// temporary file of the plugin's, read back and deleted).
function scoreAsMusicXml(ctx) {
    var base = ctx.io.tempPath() + "/deepquartet-plugin-" + Date.now();
    if (!ctx.ms.writeScore(ctx.ms.curScore, base, "musicxml")) return null;
    ctx.io.source = base + ".musicxml";
    var text = ctx.io.read();
    ctx.io.remove();
    return text;
}

// ---- Writing into the open score ------------------------------------------

// The notes and rests of one voice's tokens [from, to) as
// {start, length, pitch} (pitch null: a rest), with the pitch a hold at
// `from` continues (looked up before `from`) and whether the note before
// `from` goes on into the region (`tieIn`).
function events(tokens, from, to) {
    var out = [];
    for (var t = from; t < to; ++t) {
        var token = tokens[t];
        var last = out.length ? out[out.length - 1] : null;
        if (token === HOLD && last && last.pitch !== null) {
            last.length += 1;
        } else if (token === HOLD && !last) {
            var p = t - 1;
            while (p >= 0 && tokens[p] === HOLD) --p;
            var pitch = p >= 0 && tokens[p] >= 0 ? tokens[p] : null;
            out.push({ start: t, length: 1, pitch: pitch, tieIn: pitch !== null });
        } else if (token === REST || token === HOLD) {
            if (last && last.pitch === null) last.length += 1;
            else out.push({ start: t, length: 1, pitch: null });
        } else {
            out.push({ start: t, length: 1, pitch: token });
        }
    }
    return out;
}

// Note values (in sixteenths) that add up to `length`, longest first.
function noteValues(length) {
    var out = [];
    for (var i = 0; i < NOTE_VALUES.length && length > 0; ) {
        if (NOTE_VALUES[i] <= length) { out.push(NOTE_VALUES[i]); length -= NOTE_VALUES[i]; }
        else ++i;
    }
    return out;
}

// The element selected now as {staff, tick}, or null.
function selectedPosition(ctx) {
    var elements = ctx.ms.curScore.selection.elements;
    if (elements.length !== 1) return null;
    var e = elements[0];
    var chordRest = e.type === ctx.ms.Element.NOTE ? e.parent : e;
    if (!chordRest || (chordRest.type !== ctx.ms.Element.CHORD && chordRest.type !== ctx.ms.Element.REST)) return null;
    return { staff: Math.floor(chordRest.track / 4), tick: chordRest.parent.tick };
}

// Moves the single selection to the chord or rest of `staff` at `tick` with
// MuseScore's navigation commands (3.2's API cannot select by position).
function selectAt(ctx, staff, tick) {
    var ms = ctx.ms;
    var bar = 4 * ms.division;
    if (!selectedPosition(ctx)) {
        ms.cmd("first-element");
        if (!selectedPosition(ctx)) ms.cmd("next-chord");
    }
    for (var moves = 0; moves < 4000; ++moves) {
        var at = selectedPosition(ctx);
        if (!at) return false;
        if (at.staff === staff && at.tick === tick) return true;
        if (at.staff < staff) ms.cmd("down-chord");
        else if (at.staff > staff) ms.cmd("up-chord");
        else if (tick - at.tick >= bar) ms.cmd("next-measure");
        else if (at.tick < tick) ms.cmd("next-chord");
        else ms.cmd("prev-chord");
        var moved = selectedPosition(ctx);
        if (moved && moved.staff === at.staff && moved.tick === at.tick) return false;  // stuck
    }
    return false;
}

// Ties the chord of `staff` that ends at MuseScore tick `tick` to the one
// that starts there; false if there is no such chord or it cannot be selected.
function tieInto(ctx, staff, tick) {
    var cursor = cursorAt(ctx, staff, 0, 0);
    var before = null;
    for (; cursor.segment && cursor.tick < tick; cursor.next()) before = cursor.tick;
    if (before === null || !selectAt(ctx, staff, before)) return false;
    ctx.ms.cmd("tie");
    return true;
}

// Writes alternative `grid` (4 token arrays on the server's grid) into the
// open score: staves region.startStaff..endStaff between region.startTick
// and endTick. Returns the number of undo steps it took (null if it could
// not write), for takeBack().
function write(ctx, grid, region) {
    var ms = ctx.ms;
    var score = ms.curScore;
    var scale = msPerTick(ctx);
    var from = region.startTick / scale, to = region.endTick / scale;
    var ties = [];   // [staff, MuseScore tick]: tie the note ending there to the next
    score.startCmd();
    for (var staff = region.startStaff; staff <= region.endStaff; ++staff) {
        var tokens = grid[staff];
        var list = events(tokens, from, to);
        var rests = [];  // [start, end) in MuseScore ticks
        var cursor = cursorAt(ctx, staff, 0, region.startTick);
        for (var i = 0; i < list.length; ++i) {
            var ev = list[i];
            if (ev.tieIn) ties.push([staff, ev.start * scale]);
            var values = noteValues(ev.length);
            var start = ev.start;
            for (var k = 0; k < values.length; ++k) {
                if (cursor.tick !== start * scale) {
                    score.endCmd();
                    ms.cmd("undo");
                    return null;
                }
                cursor.setDuration(values[k], 16);
                cursor.addNote(ev.pitch === null ? 60 : ev.pitch);  // a rest: placeholder, removed below
                start += values[k];
                if (ev.pitch !== null && k + 1 < values.length) ties.push([staff, start * scale]);
            }
            if (ev.pitch === null) rests.push([ev.start * scale, (ev.start + ev.length) * scale]);
        }
        // The rests: the placeholder chords removed (MuseScore leaves rests).
        for (var r = 0; r < rests.length; ++r) {
            var chords = [];
            for (var c = cursorAt(ctx, staff, 0, rests[r][0]); c.segment && c.tick < rests[r][1]; c.next()) {
                if (c.element && c.element.type === ms.Element.CHORD) chords.push(c.element);
            }
            for (var n = 0; n < chords.length; ++n) ms.removeElement(chords[n]);
        }
        // A last note that the server continues past the region, at the same pitch there.
        var last = list.length ? list[list.length - 1] : null;
        if (to < tokens.length && tokens[to] === HOLD && last && last.pitch !== null) {
            var after = cursorAt(ctx, staff, 0, region.endTick);
            if (after.element && after.element.type === ms.Element.CHORD && after.element.notes[0].pitch === last.pitch) {
                ties.push([staff, region.endTick]);
            }
        }
    }
    score.endCmd();
    var steps = 1;
    for (var j = 0; j < ties.length; ++j) {
        if (tieInto(ctx, ties[j][0], ties[j][1])) ++steps;
    }
    return steps;
}

// Undoes what write() did (`steps` undo steps).
function takeBack(ctx, steps) {
    for (var i = 0; i < steps; ++i) ctx.ms.cmd("undo");
}

// ---- The plugin's actions ---------------------------------------------------

function query(options) {
    var parts = [];
    for (var name in options) {
        if (options[name] === undefined || options[name] === null || options[name] === "") continue;
        parts.push(name + "=" + encodeURIComponent(String(options[name])));
    }
    return parts.length ? "?" + parts.join("&") : "";
}

// Regenerate: the selection resampled with the rest of the score as context.
// options: {style, temperature, alternatives}. On success `done(null,
// {alternatives: [grid, ...], region, steps, index})`: alternative 0 is
// written; showAlternative() moves to another one.
function regenerate(ctx, options, done) {
    var region = selectedRegion(ctx);
    if (!region) { done("Select the bars and staves to regenerate first (a range selection).", null); return; }
    var problem = unsupportedContent(ctx, region);
    if (problem) { done(problem, null); return; }
    var xml = scoreAsMusicXml(ctx);
    if (!xml) { done("MuseScore could not export this score as MusicXML.", null); return; }
    var scale = msPerTick(ctx);
    var voices = [];
    for (var s = region.startStaff; s <= region.endStaff; ++s) voices.push(s);
    ctx.status("Sending the score to " + ctx.server + "...");
    request(ctx, "POST", "/api/piece/import" + query({ filename: "score.musicxml", musicxml: 0, style: options.style }),
            xml, "application/vnd.recordare.musicxml+xml", function (error, status, piece) {
        if (error) { done(error, null); return; }
        var body = { from_tick: region.startTick / scale, to_tick: Math.min(region.endTick / scale, piece.score.ticks),
                     voices: voices, alternatives: options.alternatives || 1 };
        if (options.temperature) body.temperature = options.temperature;
        ctx.status("Regenerating bars " + barAt(ctx, region.startTick) + "-" + barAt(ctx, region.endTick - 1) + "...");
        request(ctx, "POST", "/api/piece/" + piece.id + "/regenerate", JSON.stringify(body), "application/json",
                function (error2, status2, job) {
            if (error2) { done(error2, null); return; }
            followJob(ctx, job, function (error3, result) {
                if (error3) { done(error3, null); return; }
                var grids = [];
                for (var i = 0; i < result.alternatives.length; ++i) grids.push(result.alternatives[i].voices);
                var state = { alternatives: grids, region: region, steps: 0, index: -1 };
                if (!showAlternative(ctx, state, 0)) {
                    done("The answer could not be written into the score (its bars do not match the server's).", null);
                    return;
                }
                done(null, state);
            });
        });
    });
}

// Replaces the alternative written now by alternative `index`.
function showAlternative(ctx, state, index) {
    if (state.index >= 0) takeBack(ctx, state.steps);
    var steps = write(ctx, state.alternatives[index], state.region);
    if (steps === null) { state.index = -1; state.steps = 0; return false; }
    state.index = index;
    state.steps = steps;
    return true;
}

// True if staves 2-4 of the open score hold no notes.
function lowerStavesEmpty(ctx) {
    for (var staff = 1; staff < STAVES; ++staff) {
        var cursor = cursorAt(ctx, staff, 0, 0);
        for (; cursor.segment; cursor.next()) {
            if (cursor.element && cursor.element.type === ctx.ms.Element.CHORD) return false;
        }
    }
    return true;
}

// Opens the server's piece `id` as a new score (MuseScore reads it from a
// temporary file of the plugin's).
function openPiece(ctx, id, name, done) {
    request(ctx, "GET", "/api/piece/" + id + "/export.musicxml", null, null, function (error, status, xml) {
        if (error) { done(error, null); return; }
        ctx.io.source = ctx.io.tempPath() + "/" + name + "-" + Date.now() + ".musicxml";
        if (!ctx.io.write(xml)) { done("Cannot write " + ctx.io.source, null); return; }
        var score = ctx.ms.readScore(ctx.io.source);
        ctx.io.remove();
        if (!score) { done("MuseScore could not open the new score.", null); return; }
        done(null, { score: score });
    }, true);
}

// Harmonize: the top staff's melody gets alto, tenor and bass: in the three
// staves below it when the score has four and they are empty, else in a new
// score. options: {style, temperature}.
function harmonize(ctx, options, done) {
    var ms = ctx.ms;
    var score = ms.curScore;
    var inPlace = score.nstaves === STAVES && lowerStavesEmpty(ctx);
    if (score.nstaves === STAVES && !inPlace) {
        done("The three lower staves already hold notes: select bars and staves to regenerate them instead.", null);
        return;
    }
    var region = { startStaff: 0, endStaff: 0, startTick: 0, endTick: score.lastSegment.tick };
    var problem = unsupportedContent(ctx, { startStaff: 0, endStaff: 0, startTick: 0, endTick: region.endTick });
    if (problem && score.nstaves === STAVES) { done(problem, null); return; }
    var xml = scoreAsMusicXml(ctx);
    if (!xml) { done("MuseScore could not export this score as MusicXML.", null); return; }
    ctx.status("Harmonizing the melody...");
    var q = { filename: "melody.musicxml", keep: "soprano", transpose: inPlace ? "none" : "auto",
              style: options.style, temperature: options.temperature };
    request(ctx, "POST", "/api/reharmonize" + query(q), xml, "application/vnd.recordare.musicxml+xml",
            function (error, status, job) {
        if (error) { done(error, null); return; }
        followJob(ctx, job, function (error2, result) {
            if (error2) { done(error2, null); return; }
            if (!inPlace) { openPiece(ctx, result.id, "harmonized", done); return; }
            region.startStaff = 1;
            region.endStaff = STAVES - 1;
            region.endTick = Math.min(region.endTick, result.score.ticks * msPerTick(ctx));
            var state = { alternatives: [result.score.voices], region: region, steps: 0, index: -1 };
            if (!showAlternative(ctx, state, 0)) {
                done("The harmonization could not be written into the score.", null);
                return;
            }
            done(null, state);
        });
    });
}

// New piece: a new score from the server. options: {bars, key, meter, style, temperature}.
function newPiece(ctx, options, done) {
    var body = { bars: options.bars, key: options.key, meter: options.meter };
    if (options.style) body.style = options.style;
    if (options.temperature) body.temperature = options.temperature;
    ctx.status("Writing a new piece...");
    request(ctx, "POST", "/api/piece", JSON.stringify(body), "application/json", function (error, status, job) {
        if (error) { done(error, null); return; }
        followJob(ctx, job, function (error2, result) {
            if (error2) { done(error2, null); return; }
            openPiece(ctx, result.id, "deepquartet", done);
        });
    });
}

// The server's model: calls done(error, {styles, preset, ...}).
function modelInfo(ctx, done) {
    request(ctx, "GET", "/api/model", null, null, function (error, status, j) { done(error, j); });
}

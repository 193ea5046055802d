// The three pages: the index (lessons and runs), a view of one or more runs, and a lesson with its runs.
'use strict';

(function (Board) {
  const {el} = Board;
  const POLL_MS = 2000;

  // window.boardReady is the browser tests' signal: true once everything visible is drawn.
  let loading = true;
  Board.busy = () => { window.boardReady = false; };
  Board.ready = () => { if (!loading) window.boardReady = true; };
  Board.busy();

  const runLink = name => el('a', {href: 'run.html?run=' + encodeURIComponent(name), class: 'run-link'}, name);
  const lessonLink = name => el('a', {href: 'lesson.html?lesson=' + encodeURIComponent(name), class: 'lesson-link'}, name);
  const verdict = passed => passed === true ? el('span', {class: 'pass'}, '✓ pass')
    : passed === false ? el('span', {class: 'fail'}, '✗ fail') : el('span', {class: 'shown'}, 'shown');
  const problem = text => el('p', {class: 'error'}, text);

  function indexPage(root) {
    const {lessons, runs} = Board.data.index;
    document.getElementById('title').textContent = '';
    const chosen = new Set();
    const compare = el('button', {id: 'compare', disabled: true, onclick: () => {
      location.href = 'run.html?' + [...chosen].map(n => 'run=' + encodeURIComponent(n)).join('&');
    }}, 'compare the chosen runs');
    root.replaceChildren(
      Board.section('lessons', 'Lessons', lessons.length === 0 ? el('p', {class: 'hint'}, 'No lesson results (result.json) in this log folder.') :
        el('table', {class: 'listing'},
          el('thead', {}, el('tr', {}, ['lesson', 'verdict', 'figures passed', 'seconds', 'runs'].map(h => el('th', {}, h)))),
          el('tbody', {}, lessons.map(l => {
            const figures = (l.result && l.result.figures) || [];
            return el('tr', {'data-lesson': l.name},
              el('td', {}, lessonLink(l.name)),
              el('td', {}, l.error ? problem(l.error) : verdict(l.result.passed)),
              el('td', {}, `${figures.filter(f => f.passed === true).length} of ${figures.filter(f => f.passed !== null && f.passed !== undefined).length}`),
              el('td', {}, l.result ? Board.formatNumber(l.result.seconds) : ''),
              el('td', {}, l.runs.map(r => el('div', {}, runLink(r)))));
          })))),
      Board.section('runs', 'Runs', runs.length === 0 ? el('p', {class: 'hint'}, 'No runs (folders with events.jsonl or graph.json) in this log folder.') :
        el('div', {},
          el('table', {class: 'listing'},
            el('thead', {}, el('tr', {}, ['', 'run', 'lesson', 'graph', 'events', 'profile'].map(h => el('th', {}, h)))),
            el('tbody', {}, runs.map(r => el('tr', {'data-run': r.name},
              el('td', {}, el('input', {type: 'checkbox', title: 'compare', onchange: e => {
                if (e.target.checked) chosen.add(r.name); else chosen.delete(r.name);
                compare.disabled = chosen.size === 0;
              }})),
              el('td', {}, runLink(r.name)),
              el('td', {}, r.lesson ? lessonLink(r.lesson) : ''),
              ['graph', 'events', 'profile'].map(key => el('td', {}, r[key] ? '✓' : '')))))),
          compare)));
  }

  // The runs' graph (one at a time), their scalars overlaid, and their histograms, images and text.
  class RunView {
    constructor(root, names) {
      this.root = root;
      this.names = names;
      this.scalars = new Board.ScalarCharts();
      this.events = el('div', {class: 'event-panels'});
    }

    async load() {
      this.runs = [];
      const problems = [];
      for (const name of this.names) {
        try {
          const run = await Board.loadRun(name);
          if (run.error) problems.push(`${name}: ${run.error}`);
          run.events = run.events || [];
          run.next = run.next || 0;
          this.runs.push(run);
        } catch (e) {
          problems.push(e.message);
        }
      }
      const withGraph = this.runs.filter(r => r.graph);
      const graphPanel = Board.section('graph-panel', 'Graph');
      if (withGraph.length > 1) {
        const choice = el('select', {id: 'graph-run', onchange: () => this.showGraph(graphPanel, withGraph[choice.selectedIndex])},
          withGraph.map(r => el('option', {}, r.name)));
        graphPanel.append(el('label', {class: 'toolbar'}, 'graph of ', choice));
      }
      this.root.replaceChildren(
        ...problems.map(problem),
        withGraph.length ? graphPanel : '',
        Board.section('scalars', 'Scalars', this.scalars.element),
        this.events);
      if (withGraph.length) this.showGraph(graphPanel, withGraph[0]);
      this.refresh();
    }

    showGraph(panel, run) {
      const old = panel.querySelector('.graph-view');
      const view = new Board.GraphView(run);
      if (old) old.replaceWith(view.element); else panel.append(view.element);
    }

    // Redraws everything the events show, from the events loaded so far.
    refresh() {
      Board.busy();
      const scalars = new Map();
      const byKind = new Map();
      this.runs.forEach((run, i) => {
        const colour = Board.runColours[i % Board.runColours.length];
        for (const event of run.events) {
          if (event.kind === 'scalar') {
            if (!scalars.has(event.tag)) scalars.set(event.tag, []);
            const series = scalars.get(event.tag);
            let mine = series.find(s => s.run === run.name);
            if (!mine) series.push(mine = {run: run.name, colour, points: []});
            mine.points.push({step: event.step, value: Board.number(event.value)});
          } else if (['histogram', 'image', 'text'].includes(event.kind)) {
            if (!byKind.has(event.kind)) byKind.set(event.kind, new Map());
            const tags = byKind.get(event.kind);
            if (!tags.has(event.tag)) tags.set(event.tag, []);
            let mine = tags.get(event.tag).find(s => s.run === run.name);
            if (!mine) tags.get(event.tag).push(mine = {run: run.name, entries: []});
            mine.entries.push(event);
          }
        }
      });
      for (const series of scalars.values()) for (const s of series) s.points.sort((a, b) => a.step - b.step);
      this.scalars.show(scalars);
      this.events.replaceChildren(...Board.eventPanels(byKind));
      Board.ready();
    }

    // Asks the server for each run's new events and redraws when any came.
    async poll() {
      let fresh = 0;
      for (const run of this.runs) {
        try {
          // A program writes its graph when it starts training; a page opened before that draws it once it is there.
          if (!run.graph && (await Board.loadRun(run.name)).graph) {
            await this.load();
            return;
          }
          const update = await Board.newEvents(run);
          run.events.push(...update.events);
          run.next = update.next;
          fresh += update.events.length;
        } catch (e) {
          document.getElementById('live').textContent = `live: ${e.message}`;
          return;
        }
      }
      document.getElementById('live').textContent = `live · checked ${new Date().toLocaleTimeString()}`;
      if (fresh > 0) this.refresh();
    }
  }

  function lessonResult(lesson) {
    const result = document.getElementById('result');
    if (!lesson) return;
    if (lesson.error) {
      result.replaceChildren(el('h1', {}, lesson.name), problem(lesson.error));
      return;
    }
    const figures = lesson.result.figures;
    const value = v => typeof v === 'number' ? Board.formatNumber(v) : v === null || v === undefined ? '' : String(v);
    const rule = f => f.rule || (typeof f.tolerance === 'number' ? `±${Board.formatNumber(f.tolerance)}` : '');
    result.replaceChildren(
      el('h1', {}, lesson.name, ' ', verdict(lesson.result.passed),
        el('span', {class: 'seconds'}, ` ${Board.formatNumber(lesson.result.seconds)} s`)),
      el('div', {class: 'result-body'},
        // The column names are header cells without a row of their own: the table's rows are its figures.
        el('table', {class: 'figures'},
          el('thead', {}, ['figure', 'slide', 'ours', 'rule', 'pass'].map(h => el('th', {}, h))),
          el('tbody', {}, figures.map(f => el('tr', {'data-figure': f.name, class: f.passed === false ? 'failed' : ''},
            el('td', {}, f.name), el('td', {class: 'num'}, value(f.slide)), el('td', {class: 'num'}, value(f.ours)),
            el('td', {}, rule(f)), el('td', {}, verdict(f.passed)))))),
        el('div', {class: 'pictures'}, lesson.pictures.map(p =>
          el('figure', {}, el('img', {src: Board.runFile(lesson.name, p), alt: p, loading: 'eager'}), el('figcaption', {}, p))))),
      lesson.runs.length ? el('p', {class: 'runs'}, 'runs: ', lesson.runs.map(r => [runLink(r), ' ']),
        lesson.runs.length > 1 ? el('a', {href: 'run.html?' + lesson.runs.map(r => 'run=' + encodeURIComponent(r)).join('&')}, '(compare them)') : '') : '');
  }

  async function start() {
    const page = document.body.dataset.page;
    const params = new URLSearchParams(location.search);
    const root = document.getElementById(page === 'index' ? 'index' : 'view');
    let view = null;
    if (page === 'index') {
      indexPage(root);
    } else if (page === 'lesson') {
      const name = params.get('lesson');
      const lesson = Board.data.index.lessons.find(l => l.name === name);
      document.getElementById('title').textContent = name || '';
      if (!lesson) root.replaceChildren(problem(`The log folder has no lesson '${name}'.`));
      else {
        lessonResult(lesson);
        if (lesson.runs.length) view = new RunView(root, lesson.runs);
        else root.replaceChildren(el('p', {class: 'hint'}, 'This lesson logged no runs (no events.jsonl or graph.json under its folder).'));
      }
    } else {
      const names = params.getAll('run');
      const chosen = names.length ? names : Board.data.index.runs.map(r => r.name);
      document.getElementById('title').textContent = chosen.join(' · ');
      view = new RunView(root, chosen);
    }
    if (view) await view.load();
    loading = false;
    Board.ready();
    if (Board.data.live) {
      setInterval(async () => {
        if (view) await view.poll();
        else {
          // Redrawn only when it changed, so that ticked compare boxes survive the polls.
          const before = JSON.stringify(Board.data.index);
          try { await Board.refreshIndex(); } catch (e) { document.getElementById('live').textContent = `live: ${e.message}`; return; }
          if (JSON.stringify(Board.data.index) !== before) indexPage(root);
        }
      }, POLL_MS);
    }
  }

  document.addEventListener('DOMContentLoaded', () => start().catch(e => {
    document.body.append(problem(e.message));
    loading = false;
    Board.ready();
  }));
})(window.Board);

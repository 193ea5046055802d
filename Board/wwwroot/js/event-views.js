// Histograms over steps, images with a step slider, and text, each per tag and run.
'use strict';

(function (Board) {
  const {el, svg} = Board;

  // One ridge per logged step, older ones above and paler, as TensorBoard's "offset" histograms.
  function histogram(tag, run, entries) {
    const WIDTH = 460, RIDGE = 50, GAP = Math.max(6, Math.min(18, 180 / Math.max(entries.length, 1)));
    const LEFT = 16, RIGHT = 70, TOP = 8;
    const height = TOP + RIDGE + GAP * (entries.length - 1) + 28;
    const low = Math.min(...entries.map(e => Board.number(e.edges[0])));
    const high = Math.max(...entries.map(e => Board.number(e.edges[e.edges.length - 1])));
    const span = high > low ? high - low : 1;
    const x = v => LEFT + (v - low) / span * (WIDTH - LEFT - RIGHT);
    // Heights are densities (count per unit of width), so that bins of different widths compare.
    const densities = entries.map(e => e.counts.map((c, i) => c / Math.max(Board.number(e.edges[i + 1]) - Board.number(e.edges[i]), 1e-12)));
    const top = Math.max(...densities.flat(), 1e-12);
    const drawing = svg('svg', {class: 'histogram', 'data-tag': tag, 'data-run': run, width: WIDTH, height, viewBox: `0 0 ${WIDTH} ${height}`});
    entries.forEach((entry, k) => {
      const base = TOP + RIDGE + GAP * k;
      const edges = entry.edges.map(Board.number);
      let d = `M ${x(edges[0]).toFixed(1)} ${base}`;
      densities[k].forEach((density, i) => {
        const centre = (edges[i] + edges[i + 1]) / 2;
        d += ` L ${x(centre).toFixed(1)} ${(base - density / top * RIDGE).toFixed(1)}`;
      });
      d += ` L ${x(edges[edges.length - 1]).toFixed(1)} ${base}`;
      const shade = entries.length > 1 ? k / (entries.length - 1) : 1;
      drawing.append(svg('path', {class: 'ridge', 'data-step': entry.step, d,
        style: `fill: hsla(24, 90%, ${70 - 25 * shade}%, 0.55); stroke: hsl(24, 80%, ${55 - 25 * shade}%)`},
        svg('title', {}, `step ${entry.step}: ${entry.count} values from ${Board.formatNumber(Board.number(entry.min))} to ${Board.formatNumber(Board.number(entry.max))}`)));
      if (k === 0 || k === entries.length - 1 || entries.length <= 8)
        drawing.append(svg('text', {class: 'tick', x: WIDTH - RIGHT + 6, y: base}, `step ${entry.step}`));
    });
    const bottom = height - 12;
    drawing.append(svg('text', {class: 'tick', x: LEFT, y: bottom}, Board.formatNumber(low)),
      svg('text', {class: 'tick end', x: WIDTH - RIGHT, y: bottom}, Board.formatNumber(high)));
    return drawing;
  }

  function imageStrip(tag, run, entries) {
    const picture = el('img', {class: 'summary-image', alt: `${tag} (${run})`});
    const caption = el('figcaption', {});
    const show = i => {
      const entry = entries[i];
      picture.src = Board.runFile(run, entry.file);
      picture.width = Math.max(entry.width || 0, 112);
      caption.textContent = `${tag} · step ${entry.step} (${i + 1} of ${entries.length})`;
    };
    const slider = entries.length > 1
      ? el('input', {type: 'range', class: 'step-slider', min: 0, max: entries.length - 1, value: entries.length - 1, oninput: e => show(Number(e.target.value))})
      : null;
    show(entries.length - 1);
    return el('figure', {class: 'image-box', 'data-tag': tag, 'data-run': run}, picture, caption, slider);
  }

  function textTable(tag, run, entries) {
    return el('table', {class: 'text-table', 'data-tag': tag, 'data-run': run},
      [...entries].reverse().map(e => el('tr', {}, el('th', {}, `step ${e.step}`), el('td', {}, el('pre', {}, e.text)))));
  }

  // byKind: Map kind -> Map tag -> [{run, entries}]; returns the panels for the kinds that have any.
  Board.eventPanels = byKind => {
    const panels = [];
    const each = (kind, draw) => [...(byKind.get(kind) || new Map())].sort(([a], [b]) => a < b ? -1 : 1)
      .flatMap(([tag, runs]) => runs.map(r => el('div', {class: 'event-box'}, el('h3', {}, runs.length > 1 ? `${tag} · ${r.run}` : tag), draw(tag, r.run, r.entries))));
    const histograms = each('histogram', histogram);
    if (histograms.length) panels.push(Board.section('histograms', 'Histograms', el('div', {class: 'chart-row'}, histograms)));
    const images = each('image', imageStrip);
    if (images.length) panels.push(Board.section('images', 'Images', el('div', {class: 'chart-row'}, images)));
    const texts = each('text', textTable);
    if (texts.length) panels.push(Board.section('text', 'Text', texts));
    return panels;
  };
})(window.Board);

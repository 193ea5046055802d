// Scalar charts as plain SVG: one chart per tag, every run overlaid, with TensorBoard's smoothing and a log axis.
'use strict';

(function (Board) {
  const {el, svg} = Board;
  const WIDTH = 460, HEIGHT = 260;
  const MARGIN = {left: 60, right: 14, top: 12, bottom: 32};

  // TensorBoard's smoothing: an exponential moving average, debiased so that the first points are not pulled to 0.
  function smooth(values, weight) {
    let last = 0, count = 0;
    return values.map(value => {
      if (!Number.isFinite(value)) return value;
      last = last * weight + (1 - weight) * value;
      count++;
      const debias = weight === 1 ? 1 : 1 - Math.pow(weight, count);
      return last / debias;
    });
  }

  function niceStep(span, target) {
    const raw = span / target;
    const power = Math.pow(10, Math.floor(Math.log10(raw)));
    const fraction = raw / power;
    return power * (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10);
  }

  function linearTicks(low, high, target) {
    const step = niceStep(high - low, target);
    const ticks = [];
    for (let t = Math.ceil(low / step) * step; t <= high + step * 1e-9; t += step) ticks.push(Math.abs(t) < step * 1e-9 ? 0 : t);
    return ticks;
  }

  function logTicks(low, high) {
    const ticks = [];
    const decades = Math.ceil(Math.log10(high)) - Math.floor(Math.log10(low));
    const mantissas = decades <= 2 ? [1, 2, 5] : [1];
    for (let k = Math.floor(Math.log10(low)); k <= Math.ceil(Math.log10(high)); k++)
      for (const m of mantissas) {
        const t = m * Math.pow(10, k);
        if (t >= low && t <= high) ticks.push(t);
      }
    return ticks;
  }

  function padded(low, high, log) {
    if (low === high) return log ? [low / 2, high * 2] : [low - (Math.abs(low) || 1) * 0.1, high + (Math.abs(high) || 1) * 0.1];
    if (log) {
      const pad = (Math.log10(high) - Math.log10(low)) * 0.05;
      return [Math.pow(10, Math.log10(low) - pad), Math.pow(10, Math.log10(high) + pad)];
    }
    const pad = (high - low) * 0.05;
    return [low - pad, high + pad];
  }

  // runs: [{run, colour, points: [{step, value}]}] for one tag.
  function chart(tag, runs, smoothing, logAxis) {
    const series = runs.map(r => ({...r, smoothed: smooth(r.points.map(p => p.value), smoothing)}));
    const steps = series.flatMap(s => s.points.map(p => p.step));
    const onScale = v => Number.isFinite(v) && (!logAxis || v > 0);
    const values = series.flatMap(s => [...s.points.map(p => p.value), ...s.smoothed]).filter(onScale);
    const log = logAxis && values.length > 0;
    const [x0, x1] = steps.length ? padded(Math.min(...steps), Math.max(...steps), false) : [0, 1];
    const [y0, y1] = values.length ? padded(Math.min(...values), Math.max(...values), log) : [0, 1];
    const plotW = WIDTH - MARGIN.left - MARGIN.right, plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
    const x = step => MARGIN.left + (step - x0) / (x1 - x0) * plotW;
    const yOf = v => log ? (Math.log10(v) - Math.log10(y0)) / (Math.log10(y1) - Math.log10(y0)) : (v - y0) / (y1 - y0);
    const y = v => MARGIN.top + (1 - yOf(v)) * plotH;

    const drawing = svg('svg', {class: 'chart', 'data-tag': tag, width: WIDTH, height: HEIGHT, viewBox: `0 0 ${WIDTH} ${HEIGHT}`});
    const axes = svg('g', {class: 'axes'});
    for (const t of log ? logTicks(y0, y1) : linearTicks(y0, y1, 5)) {
      axes.append(svg('line', {class: 'grid', x1: MARGIN.left, x2: WIDTH - MARGIN.right, y1: y(t), y2: y(t)}),
        svg('text', {class: 'tick y', x: MARGIN.left - 6, y: y(t) + 4}, Board.formatNumber(t)));
    }
    for (const t of linearTicks(x0, x1, 5).filter(t => Number.isInteger(t) || x1 - x0 < 5)) {
      axes.append(svg('line', {class: 'grid', x1: x(t), x2: x(t), y1: MARGIN.top, y2: HEIGHT - MARGIN.bottom}),
        svg('text', {class: 'tick x', x: x(t), y: HEIGHT - MARGIN.bottom + 16}, Board.formatNumber(t)));
    }
    axes.append(svg('rect', {class: 'frame', x: MARGIN.left, y: MARGIN.top, width: plotW, height: plotH}),
      svg('text', {class: 'axis-name', x: WIDTH - MARGIN.right, y: HEIGHT - 4}, log ? 'step (log values)' : 'step'));
    drawing.append(axes);

    // A line breaks where a value cannot be drawn (NaN, or not positive on a log axis).
    const line = (points, values) => {
      let d = '', pen = false;
      points.forEach((p, i) => {
        if (!onScale(values[i])) { pen = false; return; }
        d += `${pen ? 'L' : 'M'} ${x(p.step).toFixed(1)} ${y(values[i]).toFixed(1)} `;
        pen = true;
      });
      return d.trim();
    };
    for (const s of series) {
      const raw = s.points.map(p => p.value);
      if (smoothing > 0) drawing.append(svg('path', {class: 'raw', d: line(s.points, raw), stroke: s.colour}));
      drawing.append(svg('path', {class: 'smoothed', d: line(s.points, s.smoothed), stroke: s.colour}));
    }
    for (const s of series) {
      s.points.forEach((p, i) => {
        const fits = onScale(p.value);
        // Every logged step gets its point; one that cannot be drawn on this axis sits on the frame, marked.
        const py = fits ? y(p.value) : (Number.isNaN(p.value) || p.value === Infinity ? MARGIN.top : HEIGHT - MARGIN.bottom);
        drawing.append(svg('circle', {class: fits ? 'point' : 'point off-scale', 'data-run': s.run, 'data-step': p.step,
          cx: x(p.step).toFixed(1), cy: py.toFixed(1), r: 2.2, fill: s.colour},
          svg('title', {}, `${s.run}, step ${p.step}: ${Board.formatNumber(p.value)}` +
            (smoothing > 0 ? ` (smoothed ${Board.formatNumber(s.smoothed[i])})` : ''))));
      });
    }
    return drawing;
  }

  // The scalar panel: the controls, then the charts grouped by the part of the tag before its first '/'.
  class ScalarCharts {
    constructor() {
      this.smoothing = 0.6;
      this.logAxis = false;
      const slider = el('input', {id: 'smoothing', type: 'range', min: 0, max: 0.99, step: 0.01, value: this.smoothing,
        oninput: () => { this.smoothing = Number(slider.value); shown.textContent = slider.value; this.render(); }});
      const shown = el('output', {for: 'smoothing'}, this.smoothing);
      const log = el('input', {id: 'log-axis', type: 'checkbox', onchange: () => { this.logAxis = log.checked; this.render(); }});
      this.charts = el('div', {class: 'chart-groups'});
      this.element = el('div', {},
        el('div', {class: 'toolbar'}, el('label', {}, 'smoothing ', slider, ' ', shown), el('label', {}, log, ' log axis')),
        this.charts);
      this.series = new Map();
    }

    // series: Map tag -> [{run, colour, points}].
    show(series) {
      this.series = series;
      this.render();
    }

    render() {
      const groups = new Map();
      for (const tag of [...this.series.keys()].sort()) {
        const group = tag.includes('/') ? tag.slice(0, tag.indexOf('/')) : '';
        if (!groups.has(group)) groups.set(group, []);
        groups.get(group).push(tag);
      }
      if (groups.size === 0) {
        this.charts.replaceChildren(el('p', {class: 'hint'}, 'No scalars logged yet.'));
        return;
      }
      this.charts.replaceChildren(...[...groups].map(([group, tags]) =>
        el('div', {class: 'chart-group', 'data-group': group},
          group ? el('h3', {}, group) : null,
          el('div', {class: 'chart-row'}, tags.map(tag => {
            const runs = this.series.get(tag);
            return el('figure', {class: 'chart-box'},
              el('figcaption', {}, tag),
              chart(tag, runs, this.smoothing, this.logAxis),
              runs.length > 1 ? el('div', {class: 'chart-legend'}, runs.map(r =>
                el('span', {class: 'legend-item'}, el('span', {class: 'run-swatch', style: `background:${r.colour}`}), r.run))) : null);
          })))));
    }
  }

  Board.smooth = smooth;
  Board.ScalarCharts = ScalarCharts;
})(window.Board);

// Small helpers every view shares: making HTML and SVG elements, and reading the numbers of the log format.
'use strict';
window.Board = window.Board || {};

(function (Board) {
  const SVG = 'http://www.w3.org/2000/svg';

  // el('td', {class: 'x', onclick: f}, 'text', child): attributes, listeners and children in one call.
  function make(ns, tag, attrs, children) {
    const node = ns ? document.createElementNS(ns, tag) : document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? '' : String(value));
    }
    for (const child of children.flat()) {
      if (child === undefined || child === null || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  Board.el = (tag, attrs, ...children) => make(null, tag, attrs, children);
  Board.svg = (tag, attrs, ...children) => make(SVG, tag, attrs, children);

  // The format writes NaN and the infinities as strings, because JSON has no such numbers.
  Board.number = value => {
    if (typeof value === 'number') return value;
    if (value === 'NaN') return NaN;
    if (value === 'Infinity') return Infinity;
    if (value === '-Infinity') return -Infinity;
    return Number(value);
  };

  Board.formatNumber = value => {
    if (!Number.isFinite(value)) return String(value);
    if (value !== 0 && (Math.abs(value) >= 1e5 || Math.abs(value) < 1e-3)) return value.toExponential(3);
    return String(Number(value.toPrecision(5)));
  };

  Board.runColours = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#bcbd22', '#7f7f7f'];

  // A path relative to a run's folder, as a URL relative to the page.
  Board.runFile = (runName, file) => (Board.data.filesBase || '') + (runName === '.' ? '' : runName + '/') + file;

  Board.section = (id, title, ...children) =>
    Board.el('section', {id, class: 'panel'}, Board.el('h2', {}, title), ...children);
})(window.Board);

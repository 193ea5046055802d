// The graph: name scopes as collapsible groups, laid out in layers by dagre, with a node's details on a click.
'use strict';

(function (Board) {
  const {el, svg} = Board;

  // Every kind graph.json names, with what the legend says about it.
  const KINDS = [
    ['placeholder', 'placeholder (fed)'],
    ['variable', 'variable'],
    ['constant', 'constant'],
    ['op', 'op'],
    ['gradient', 'gradient'],
    ['optimizer', 'optimizer update'],
    ['summary', 'summary'],
  ];

  // "layer1/MatMul:1" and the control input "^init" both name the node they come from.
  const sourceOf = input => input.replace(/^\^/, '').replace(/:\d+$/, '');
  const lastPart = path => path.slice(path.lastIndexOf('/') + 1);
  const parentOf = path => path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';

  // The nodes and the tree of name scopes they sit in ('' is the top level).
  class GraphModel {
    constructor(graph) {
      this.nodes = new Map();
      this.scopes = new Map();
      this.consumers = new Map();
      this.scope('');
      for (const node of graph.nodes) {
        const scope = typeof node.scope === 'string' ? node.scope : parentOf(node.name);
        this.nodes.set(node.name, {...node, scope});
        this.scope(scope).nodes.push(node.name);
        for (let path = scope; ; path = parentOf(path)) {
          const counted = this.scopes.get(path);
          counted.count++;
          counted.kinds.add(node.kind);
          if (path === '') break;
        }
      }
      for (const node of this.nodes.values()) {
        for (const input of [...(node.inputs || []), ...(node.control_inputs || [])]) {
          const source = sourceOf(input);
          if (!this.consumers.has(source)) this.consumers.set(source, new Set());
          this.consumers.get(source).add(node.name);
        }
      }
    }

    scope(path) {
      if (!this.scopes.has(path)) {
        this.scopes.set(path, {path, scopes: [], nodes: [], count: 0, kinds: new Set()});
        if (path !== '') this.scope(parentOf(path)).scopes.push(path);
      }
      return this.scopes.get(path);
    }

    // The scope paths above a node or scope, outermost first ("a/b/c" -> "a", "a/b").
    static chain(scope) {
      const parts = scope === '' ? [] : scope.split('/');
      return parts.map((_, i) => parts.slice(0, i + 1).join('/'));
    }
  }

  class GraphView {
    constructor(run) {
      this.run = run;
      this.model = new GraphModel(run.graph);
      this.profile = (run.profile && run.profile.nodes) || {};
      this.expanded = new Set(['']);
      this.selected = null;
      this.canvas = el('div', {id: 'graph'});
      this.details = el('div', {id: 'details'}, el('p', {class: 'hint'}, 'Click a node to see its op, shapes, inputs, consumers, device and time.'));
      this.status = el('span', {id: 'search-status'});
      const names = el('datalist', {id: 'node-names'}, [...this.model.nodes.keys()].map(name => el('option', {value: name})));
      // Enter finds what was typed; picking a name from the list finds it at once.
      const search = el('input', {id: 'search', type: 'search', list: 'node-names', placeholder: 'find a node',
        onkeydown: e => { if (e.key === 'Enter') this.find(search.value); },
        oninput: () => { if (this.model.nodes.has(search.value)) this.find(search.value); }});
      this.element = el('div', {class: 'graph-view'},
        el('div', {class: 'toolbar'}, search, names, this.status, legend()),
        el('div', {class: 'graph-body'}, this.canvas, this.details));
      this.render();
    }

    // Shows the node whose name is, ends with or holds the text, opening the scopes around it.
    find(text) {
      const query = text.trim();
      if (query === '') return;
      const names = [...this.model.nodes.keys()];
      const name = names.find(n => n === query) || names.find(n => n.endsWith('/' + query)) || names.find(n => n.includes(query));
      if (!name) {
        this.status.textContent = `No node matches '${query}'.`;
        return;
      }
      this.status.textContent = '';
      this.reveal(name);
    }

    reveal(name) {
      const node = this.model.nodes.get(name);
      const closed = GraphModel.chain(node.scope).filter(scope => !this.expanded.has(scope));
      for (const scope of closed) this.expanded.add(scope);
      // A node already drawn and selected needs no new layout, only scrolling to.
      if (closed.length > 0 || name !== this.selected) this.select(name);
      // Scrolls the graph's own box, not the page, to centre the node.
      const box = this.positions.get(name);
      this.canvas.scrollTo({left: box.x - this.canvas.clientWidth / 2, top: box.y - this.canvas.clientHeight / 2});
    }

    select(name) {
      this.selected = name;
      this.render();
      this.showDetails(name);
    }

    toggle(scope, open) {
      if (open) this.expanded.add(scope);
      else for (const path of [...this.expanded]) if (path === scope || path.startsWith(scope + '/')) this.expanded.delete(path);
      this.render();
    }

    // The box a node is drawn in: its own, or that of the outermost collapsed scope around it.
    boxOf(name) {
      const node = this.model.nodes.get(name);
      if (!node) return null;
      for (const scope of GraphModel.chain(node.scope)) if (!this.expanded.has(scope)) return 's:' + scope;
      return 'n:' + name;
    }

    render() {
      Board.busy();
      const layout = new dagre.graphlib.Graph({compound: true});
      layout.setGraph({rankdir: 'TB', nodesep: 18, ranksep: 40, edgesep: 8, marginx: 16, marginy: 24});
      layout.setDefaultEdgeLabel(() => ({}));
      this.addScope(layout, this.model.scopes.get(''));
      const edges = new Map();
      for (const node of this.model.nodes.values()) {
        const to = this.boxOf(node.name);
        const inputs = [...(node.inputs || []).map(i => [i, false]), ...(node.control_inputs || []).map(i => [i, true])];
        for (const [input, control] of inputs) {
          const from = this.boxOf(sourceOf(input));
          if (!from || from === to) continue;
          const key = from + '\n' + to;
          const edge = edges.get(key) || {from, to, count: 0, control: true};
          edge.count++;
          edge.control = edge.control && control;
          edges.set(key, edge);
        }
      }
      for (const edge of edges.values()) layout.setEdge(edge.from, edge.to);
      dagre.layout(layout);
      this.draw(layout, edges);
      Board.ready();
    }

    addScope(layout, scope) {
      const parent = scope.path === '' ? null : 's:' + scope.path;
      const place = id => { if (parent) layout.setParent(id, parent); };
      for (const path of scope.scopes) {
        const child = this.model.scopes.get(path);
        const id = 's:' + path;
        if (this.expanded.has(path)) {
          layout.setNode(id, {cluster: true, path});
          place(id);
          this.addScope(layout, child);
        } else {
          const label = lastPart(path);
          layout.setNode(id, {path, width: Math.max(96, 7.5 * label.length + 44), height: 46});
          place(id);
        }
      }
      for (const name of scope.nodes) {
        const node = this.model.nodes.get(name);
        const label = lastPart(name);
        layout.setNode('n:' + name, {name, width: Math.max(72, 7 * Math.max(label.length, node.op.length) + 22), height: 38});
        place('n:' + name);
      }
    }

    draw(layout, edges) {
      const size = layout.graph();
      const drawing = svg('svg', {width: size.width, height: size.height, viewBox: `0 0 ${size.width} ${size.height}`},
        svg('defs', {}, svg('marker', {id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse'},
          svg('path', {d: 'M 0 0 L 10 5 L 0 10 z', class: 'arrow-head'}))));
      const boxes = layout.nodes().map(id => [id, layout.node(id)]);
      this.positions = new Map();
      // Outer groups first, so that inner ones and the nodes are drawn over them.
      const clusters = boxes.filter(([, box]) => box.cluster).sort(([, a], [, b]) => a.path.split('/').length - b.path.split('/').length);
      for (const [, box] of clusters) drawing.append(this.drawCluster(box));
      for (const edge of edges.values()) {
        const points = layout.edge(edge.from, edge.to).points;
        const path = points.map((p, i) => `${i ? 'L' : 'M'} ${p.x.toFixed(1)} ${p.y.toFixed(1)}`).join(' ');
        drawing.append(svg('path', {class: edge.control ? 'edge control' : 'edge', d: path, 'marker-end': 'url(#arrow)',
          'stroke-width': Math.min(1 + Math.log2(edge.count), 4)},
          svg('title', {}, `${edge.from.slice(2)} → ${edge.to.slice(2)}${edge.count > 1 ? ` (${edge.count} inputs)` : ''}`)));
      }
      for (const [id, box] of boxes) {
        if (box.cluster) continue;
        drawing.append(id.startsWith('s:') ? this.drawScope(box) : this.drawNode(box));
      }
      this.canvas.replaceChildren(drawing);
    }

    drawCluster(box) {
      const x = box.x - box.width / 2, y = box.y - box.height / 2;
      return svg('g', {class: 'cluster', 'data-scope': box.path},
        svg('rect', {x, y, width: box.width, height: box.height, rx: 8}),
        svg('text', {class: 'collapse', x: x + 6, y: y - 5, onclick: () => this.toggle(box.path, false)},
          `− ${lastPart(box.path)}`, svg('title', {}, `${box.path}: click to collapse`)));
    }

    drawScope(box) {
      const scope = this.model.scopes.get(box.path);
      // A scope whose nodes are all of one kind (all gradients, say) takes that kind's colour.
      const kind = scope.kinds.size === 1 ? [...scope.kinds][0] : 'mixed';
      const open = () => this.toggle(box.path, true);
      return svg('g', {class: `scope scope-kind-${kind}`, 'data-scope': box.path, 'data-count': scope.count,
        transform: `translate(${box.x - box.width / 2},${box.y - box.height / 2})`, onclick: open},
        svg('title', {}, `${box.path}: ${scope.count} nodes; click to expand`),
        svg('rect', {class: 'shape', width: box.width, height: box.height, rx: 6}),
        svg('rect', {class: 'stack', x: 3, y: 3, width: box.width - 6, height: box.height - 6, rx: 4}),
        svg('text', {class: 'label', x: box.width / 2, y: 19}, lastPart(box.path)),
        svg('text', {class: 'count', x: box.width / 2, y: 35}, `${scope.count} node${scope.count === 1 ? '' : 's'}`),
        svg('text', {class: 'expand', x: box.width - 12, y: 16}, '+'));
    }

    drawNode(box) {
      this.positions.set(box.name, box);
      const node = this.model.nodes.get(box.name);
      const classes = ['node', `kind-${node.kind}`];
      if (box.name === this.selected) classes.push('selected');
      return svg('g', {class: classes.join(' '), 'data-name': box.name,
        transform: `translate(${box.x - box.width / 2},${box.y - box.height / 2})`, onclick: () => this.select(box.name)},
        svg('title', {}, `${box.name} (${node.op})`),
        shape(node.kind, box.width, box.height),
        svg('text', {class: 'label', x: box.width / 2, y: 16}, lastPart(box.name)),
        svg('text', {class: 'op', x: box.width / 2, y: 30}, node.op));
    }

    showDetails(name) {
      const node = this.model.nodes.get(name);
      const profile = this.profile[name];
      const link = target => this.model.nodes.has(sourceOf(target))
        ? el('a', {href: '#', class: 'node-link', 'data-target': sourceOf(target), onclick: e => { e.preventDefault(); this.reveal(sourceOf(target)); }}, target)
        : el('span', {}, target);
      const list = names => names.length ? el('ul', {}, names.map(n => el('li', {}, link(n)))) : 'none';
      const rows = [
        ['name', name],
        ['op', node.op],
        ['kind', node.kind],
        ['dtype', node.dtype || 'unknown'],
        ['static shape', formatShape(node.shape)],
        ['last-run shape', profile && profile.shape ? formatShape(profile.shape) : 'not profiled'],
        ['device', profile ? profile.device : 'not profiled'],
        ['time', profile ? `${Board.formatNumber(profile.ms)} ms over ${profile.calls} call${profile.calls === 1 ? '' : 's'}` +
          (profile.calls > 1 ? ` (${Board.formatNumber(profile.ms / profile.calls)} ms each)` : '') : 'not profiled'],
        ...Object.entries(node.attrs || {}).map(([key, value]) => ['attr ' + key, value]),
        ['inputs', list(node.inputs || [])],
        ['control inputs', list(node.control_inputs || [])],
        ['consumers', list([...(this.model.consumers.get(name) || [])])],
      ];
      this.details.replaceChildren(el('table', {class: 'details'},
        rows.map(([key, value]) => el('tr', {'data-field': key}, el('th', {}, key), el('td', {}, value)))));
    }
  }

  const formatShape = shape => shape === null || shape === undefined
    ? 'unknown rank' : `(${shape.map(d => d < 0 ? '?' : d).join(', ')})`;

  // Each kind has its own outline, so that the graph reads without colour too.
  function shape(kind, width, height) {
    switch (kind) {
      case 'placeholder':
        return svg('ellipse', {class: 'shape', cx: width / 2, cy: height / 2, rx: width / 2, ry: height / 2});
      case 'variable':
        return svg('rect', {class: 'shape', width, height, rx: height / 2});
      case 'optimizer': {
        const c = 9;
        return svg('polygon', {class: 'shape', points: `${c},0 ${width - c},0 ${width},${height / 2} ${width - c},${height} ${c},${height} 0,${height / 2}`});
      }
      case 'summary':
        return svg('rect', {class: 'shape', width, height, rx: 2, 'stroke-dasharray': '5 3'});
      default:
        return svg('rect', {class: 'shape', width, height, rx: 3});
    }
  }

  function legend() {
    return el('div', {class: 'legend'}, KINDS.map(([kind, text]) =>
      el('span', {class: 'legend-item'},
        svg('svg', {width: 34, height: 18, class: `swatch swatch-${kind}`}, svg('g', {transform: 'translate(1,1)'}, shape(kind, 32, 16))),
        text)),
      el('span', {class: 'legend-item'},
        svg('svg', {width: 34, height: 18, class: 'swatch swatch-scope'}, svg('rect', {class: 'shape', x: 1, y: 1, width: 32, height: 16, rx: 4})),
        'name scope (click to open)'));
  }

  Board.GraphView = GraphView;
})(window.Board);

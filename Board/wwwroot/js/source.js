// Where the page's data comes from: the server's API when the board is live, the embedded scripts when it is static.
'use strict';

(function (Board) {
  Board.data = window.boardData || {index: {lessons: [], runs: []}};
  Board.data.runs = Board.data.runs || {};

  function entry(name) {
    const run = Board.data.index.runs.find(r => r.name === name);
    if (!run) throw new Error(`The log folder has no run '${name}'.`);
    return run;
  }

  async function fetchJson(url) {
    const response = await fetch(url);
    const body = await response.json();
    if (!response.ok) throw new Error(body.error || `${url}: ${response.status}`);
    return body;
  }

  // A static run's data is a script that sets boardData.runs[name]; a page may add scripts from file://.
  function loadScript(src) {
    return new Promise((resolve, reject) => {
      const script = Board.el('script', {src});
      script.onload = resolve;
      script.onerror = () => reject(new Error(`The board's data file ${src} is missing.`));
      document.head.append(script);
    });
  }

  // {name, graph, profile, events, next} for the run called name.
  Board.loadRun = async name => {
    if (Board.data.live) return fetchJson('api/run?run=' + encodeURIComponent(name));
    if (!Board.data.runs[name]) await loadScript(entry(name).data);
    return Board.data.runs[name];
  };

  // The events the run logged since it was loaded or last polled, and the number to ask from next time.
  Board.newEvents = run =>
    fetchJson(`api/events?run=${encodeURIComponent(run.name)}&after=${run.next}`);

  Board.refreshIndex = async () => { Board.data.index = await fetchJson('api/runs'); };
})(window.Board);

// The status page: reads /status.json every few seconds and draws it. No framework; uPlot draws the charts.
(function () {
  'use strict';
  var REFRESH_MS = 3000;
  var charts = {};

  function text(value) {
    return value === null || value === undefined ? '–' : String(value);
  }

  function seconds(value) {
    return value === null || value === undefined ? '–' : value.toFixed(1) + ' s';
  }

  function cell(row, value, className) {
    var td = document.createElement('td');
    td.textContent = value;
    if (className) {
      td.className = className;
    }
    row.appendChild(td);
    return td;
  }

  function fill(tableId, items, draw) {
    var body = document.querySelector('#' + tableId + ' tbody');
    body.textContent = '';
    items.forEach(function (item) {
      var row = document.createElement('tr');
      draw(row, item);
      body.appendChild(row);
    });
  }

  function drawProblems(problems) {
    var list = document.getElementById('problems');
    list.textContent = '';
    problems.forEach(function (problem) {
      var item = document.createElement('li');
      item.textContent = problem;
      list.appendChild(item);
    });
  }

  function drawServers(servers) {
    fill('servers', servers, function (row, s) {
      row.dataset.server = s.id;
      cell(row, s.id);
      cell(row, s.gateway);
      cell(row, s.connected ? 'yes' : 'no', s.connected ? 'yes connected' : 'no connected');
      cell(row, s.since);
      cell(row, s.eventsPerSecond === null ? '–' : s.eventsPerSecond.toFixed(1), 'num');
      cell(row, seconds(s.lastEventAgeSeconds), 'num');
      cell(row, seconds(s.lagSeconds), 'num');
      cell(row, text(s.reconnects), 'num');
      cell(row, text(s.skippedRecords), 'num');
      cell(row, text(s.lastError));
    });
  }

  function drawSinks(sinks) {
    fill('sinks', sinks, function (row, s) {
      row.dataset.route = s.route;
      row.dataset.server = s.server;
      cell(row, s.route);
      cell(row, s.server);
      cell(row, s.state, (s.state === 'UP' ? 'up' : 'down') + ' state');
      cell(row, seconds(s.lagSeconds), 'num');
      cell(row, s.pending + ' / ' + s.bound, 'num');
      cell(row, text(s.overflowed), 'num');
      cell(row, text(s.delivered), 'num delivered');
      cell(row, text(s.deadLettered), 'num dead-lettered');
      cell(row, text(s.failed), 'num');
      cell(row, seconds(s.checkpointAgeSeconds), 'num');
      cell(row, text(s.reason));
    });
  }

  function drawCounts(tableId, byState, alertStates, extra) {
    var items = Object.keys(byState).map(function (state) { return [state, byState[state]]; });
    extra.forEach(function (item) { items.push(item); });
    fill(tableId, items, function (row, item) {
      row.dataset.state = item[0];
      cell(row, item[0]);
      cell(row, text(item[1]), 'num' + (alertStates.indexOf(item[0]) >= 0 && item[1] > 0 ? ' alert' : ''));
    });
  }

  function drawChart(id, title, history, prefix) {
    var names = Object.keys(history.series).filter(function (n) { return n.indexOf(prefix) === 0; });
    var data = [history.times].concat(names.map(function (n) { return history.series[n]; }));
    var key = names.join('|');
    var element = document.getElementById(id);
    if (charts[id] && charts[id].key === key) {
      charts[id].plot.setData(data);
      return;
    }
    if (charts[id]) {
      charts[id].plot.destroy();
    }
    var colours = ['#1565c0', '#2e7d32', '#ef6c00', '#6a1b9a', '#c62828', '#00838f', '#5d4037', '#9e9d24'];
    var options = {
      title: title, width: Math.min(1100, window.innerWidth - 60), height: 200,
      series: [{}].concat(names.map(function (n, i) {
        return { label: n.substring(prefix.length), stroke: colours[i % colours.length], width: 1.5 };
      }))
    };
    charts[id] = { key: key, plot: new uPlot(options, data, element) };
  }

  function draw(status) {
    document.getElementById('updated').textContent = 'as of ' + status.sampledAt
        + (status.ageSeconds > 6 ? ' (' + Math.round(status.ageSeconds) + ' s old)' : '');
    drawProblems(status.problems);
    drawServers(status.servers);
    drawSinks(status.sinks);
    drawCounts('dead-letters', status.deadLetters.byState, ['DEAD', 'REPLAY_FAILED'],
        [['oldest', seconds(status.deadLetters.oldestAgeSeconds)], ['read at', status.deadLetters.readAt]]);
    drawCounts('balance', status.balanceOperations.byState, ['UNKNOWN'],
        [['SENT overdue', status.balanceOperations.sentOverdue], ['read at', status.balanceOperations.readAt]]);
    if (typeof uPlot !== 'undefined' && status.history.times.length > 1) {
      drawChart('chart-events', 'events/s per MT5 server', status.history, 'events/s ');
      drawChart('chart-lag', 'sink lag (s)', status.history, 'lag ');
    }
    document.body.dataset.loaded = 'true';
  }

  function refresh() {
    fetch('/status.json', { cache: 'no-store' })
      .then(function (r) { return r.json(); })
      .then(draw)
      .catch(function (e) {
        document.getElementById('updated').textContent = 'cannot read /status.json: ' + e;
      })
      .finally(function () { setTimeout(refresh, REFRESH_MS); });
  }

  refresh();
}());

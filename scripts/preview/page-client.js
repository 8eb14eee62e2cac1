/* Draws the dashboards described by the JSON in #preview-spec with Chart.js (inlined before this
 * script). Runs in the browser; sets document.body.dataset.ready once every chart is drawn. */
(function () {
  'use strict';
  var spec = JSON.parse(document.getElementById('preview-spec').textContent);
  var PALETTE = ['#4c78c7', '#8f5fc2', '#2f9e8f', '#d17a22', '#c23b6b', '#6b8e23', '#3b7dd8', '#a0522d'];
  var THRESHOLD_COLOR = { critical: '#d9363e', critical_recovery: '#e8858a', warning: '#e6a100', warning_recovery: '#f0c960' };
  var WIDE = { timeseries: 2, alert_graph: 2, query_table: 2, toplist: 2, service_level_objective: 2 };

  Chart.defaults.animation = false;
  Chart.defaults.font.family = '"Liberation Sans", "DejaVu Sans", Arial, sans-serif';
  Chart.defaults.font.size = 11;

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function format(value) {
    if (value === null || value === undefined) return '–';
    var abs = Math.abs(value);
    if (abs >= 1e6) return (value / 1e6).toPrecision(3) + 'M';
    if (abs >= 1e4) return (value / 1e3).toPrecision(3) + 'k';
    if (abs >= 100) return value.toFixed(0);
    return String(Number(value.toPrecision(3)));
  }

  function thresholdDatasets(widget, length) {
    return widget.thresholds.map(function (threshold) {
      var color = THRESHOLD_COLOR[threshold.name] || '#d9363e';
      return {
        label: threshold.name.replace('_', ' ') + ' ' + format(threshold.value),
        role: 'threshold',
        data: new Array(length).fill(threshold.value),
        borderColor: color,
        backgroundColor: color,
        borderDash: threshold.name.indexOf('recovery') >= 0 ? [2, 3] : [6, 4],
        borderWidth: 1.5,
        pointRadius: 0,
      };
    });
  }

  function seriesDatasets(widget, type) {
    return widget.series.map(function (series, index) {
      var color = PALETTE[index % PALETTE.length];
      return {
        label: series.label,
        role: 'series',
        type: type,
        data: series.values,
        borderColor: color,
        backgroundColor: type === 'bar' ? color : color + '22',
        borderWidth: 1.5,
        pointRadius: 0,
        spanGaps: true,
        fill: false,
        tension: 0.2,
      };
    });
  }

  function chart(body, config) {
    var holder = element('div', 'chart');
    var canvas = document.createElement('canvas');
    holder.appendChild(canvas);
    body.appendChild(holder);
    return new Chart(canvas, config);
  }

  /* The legend as a list under the chart: a canvas legend has a fixed height and silently drops
   * what does not fit (a sixth algorithm, the thresholds); the list grows with the card. */
  function drawLegend(body, datasets) {
    var list = element('ul', 'legend');
    datasets.forEach(function (dataset) {
      var item = element('li', 'legend-item', dataset.label);
      var swatch = element('span', 'swatch' + (dataset.role === 'threshold' ? ' threshold' : ''));
      swatch.style.borderTopColor = dataset.borderColor;
      if (dataset.borderDash) swatch.style.borderTopStyle = dataset.borderDash[0] <= 2 ? 'dotted' : 'dashed';
      item.insertBefore(swatch, item.firstChild);
      list.appendChild(item);
    });
    body.appendChild(list);
  }

  function lineChart(body, widget, labels, compact) {
    var datasets = seriesDatasets(widget, 'line').concat(thresholdDatasets(widget, labels.length));
    var drawn = chart(body, {
      type: 'line',
      data: { labels: labels, datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        plugins: { legend: { display: false }, tooltip: { enabled: false } },
        scales: {
          x: { display: !compact, ticks: { maxTicksLimit: 7, maxRotation: 0 }, grid: { display: false } },
          y: { display: !compact, beginAtZero: true, ticks: { maxTicksLimit: 5, callback: format } },
        },
      },
    });
    if (!compact) drawLegend(body, datasets);
    return drawn;
  }

  function drawValue(body, widget, labels) {
    var status = widget.status ? ' status-' + widget.status.replace(' ', '-').toLowerCase() : '';
    var value = element('div', 'value' + status, format(widget.value));
    body.appendChild(value);
    if (widget.status) body.appendChild(element('div', 'status' + status, widget.status));
    if (widget.group) body.appendChild(element('div', 'alert-group', widget.group));
    // A sparkline of the same query, as Datadog's optional background timeseries.
    if (widget.series.length > 0) lineChart(body, widget, labels, true).canvas.parentNode.classList.add('spark');
  }

  /* As Datadog's query table: a column per group-by tag (its values), then one per query. */
  function drawTable(body, widget) {
    var table = element('table', 'query-table');
    var head = element('tr');
    var tagColumns = widget.groupColumns.length > 0 ? widget.groupColumns : ['group'];
    tagColumns.concat(widget.columns).forEach(function (column) {
      head.appendChild(breakable(element('th'), column));
    });
    table.appendChild(head);
    widget.rows.forEach(function (row) {
      var line = element('tr', 'row');
      var tags =
        widget.groupColumns.length > 0 &&
        row.tags.some(function (tag) {
          return tag !== null;
        })
          ? row.tags
          : [row.group];
      tagColumns.forEach(function (_, index) {
        line.appendChild(breakable(element('td', 'group'), tags[index] === undefined || tags[index] === null ? '' : tags[index]));
      });
      row.cells.forEach(function (cell) {
        line.appendChild(element('td', 'number', format(cell)));
      });
      table.appendChild(line);
    });
    body.appendChild(table);
  }

  function drawBars(body, widget) {
    var rows = widget.rows || [];
    var first = {
      label: widget.columns && widget.columns[0],
      role: 'series',
      data: rows.map(function (row) {
        return row.cells[0];
      }),
      backgroundColor: PALETTE[0],
    };
    chart(body, {
      type: 'bar',
      data: {
        labels: rows.map(function (row) {
          return row.group;
        }),
        datasets: [first],
      },
      options: {
        indexAxis: 'y',
        responsive: true,
        maintainAspectRatio: false,
        plugins: { legend: { display: false }, tooltip: { enabled: false } },
        scales: { x: { beginAtZero: true, ticks: { callback: format } } },
      },
    });
  }

  /* As Datadog's SLO detail widget: per timeframe the target, the status and the budget left,
   * here with the condition a slice meets and a strip of the preview's own slices, so a reader
   * sees which stretch of the series spent the budget. Status and budget come from the preview's
   * data (an hour of sample data), which the summary line says. */
  function drawSlo(body, widget) {
    var slo = widget.slo;
    var tile = element('div', 'slo');
    tile.appendChild(breakable(element('div', 'slo-name'), slo.name));
    tile.appendChild(element('div', 'slo-resource', 'datadog_service_level_objective.' + slo.resource));
    tile.appendChild(breakable(element('code', 'slo-condition'), slo.condition));
    if (slo.slicing) tile.appendChild(element('div', 'slo-slicing', slo.slicing));
    var table = element('table', 'slo-windows');
    var head = element('tr');
    ['objective', 'status'].concat(slo.showErrorBudget ? ['budget left'] : []).forEach(function (column, index) {
      head.appendChild(element('th', index > 0 ? 'number' : null, column));
    });
    table.appendChild(head);
    slo.windows.forEach(function (window) {
      var verdict = ' status-' + window.verdict.replace(' ', '-').toLowerCase();
      var line = element('tr', 'slo-window');
      line.appendChild(element('td', 'slo-target', window.label));
      line.appendChild(element('td', 'number slo-status' + verdict, window.status === null ? window.verdict : percent(window.status)));
      if (slo.showErrorBudget)
        line.appendChild(element('td', 'number slo-budget' + verdict, window.budgetLeft === null ? '–' : percent(window.budgetLeft)));
      table.appendChild(line);
    });
    tile.appendChild(table);
    if (slo.slices.length > 0) {
      var strip = element('div', 'slo-slices');
      slo.slices.forEach(function (state) {
        strip.appendChild(element('span', 'slice slice-' + state));
      });
      tile.appendChild(strip);
    }
    tile.appendChild(element('div', 'slo-summary' + (slo.slices.length === 0 ? ' no-data' : ''), slo.summary));
    body.appendChild(tile);
  }

  /* 99.5 → 99.5%, as slo-view.ts's percent(). */
  function percent(value) {
    return Number(value.toFixed(2)) + '%';
  }

  /* Grid columns (of 4) in the ordered layout; a table of more than four columns takes the whole
   * row, as a per-algorithm table would be sized in Datadog. */
  function columnsOf(widget) {
    if (widget.display === 'group') return 4;
    if (widget.display === 'table' && widget.groupColumns.length + widget.columns.length > 4) return 4;
    return WIDE[widget.kind] || 1;
  }

  /* Text with line-break opportunities after . _ , : so that long metric names and tags wrap
   * between their words rather than anywhere. */
  function breakable(node, text) {
    String(text)
      .split(/(?<=[._,:])/)
      .forEach(function (part, index) {
        if (index > 0) node.appendChild(document.createElement('wbr'));
        node.appendChild(document.createTextNode(part));
      });
    return node;
  }

  function drawWidget(grid, widget, dashboard, panelIndex) {
    var section = element('section', 'widget kind-' + widget.kind + (widget.change ? ' change-' + widget.change : ''));
    section.dataset.widgetKey = panelIndex + ':' + widget.key;
    section.dataset.kind = widget.kind;
    section.dataset.display = widget.display;
    if (dashboard.layoutType === 'free' && widget.layout) {
      section.style.gridColumn = widget.layout.x + 1 + ' / span ' + widget.layout.width;
      section.style.gridRow = widget.layout.y + 1 + ' / span ' + widget.layout.height;
    } else {
      section.style.gridColumn = 'span ' + columnsOf(widget);
    }
    var header = element('header');
    header.appendChild(element('span', 'kind', widget.kind.replace(/_/g, ' ')));
    header.appendChild(element('h2', 'title', widget.title));
    if (widget.change) header.appendChild(element('span', 'badge', widget.change));
    section.appendChild(header);
    var body = element('div', 'body');
    section.appendChild(body);
    if (widget.display === 'chart') lineChart(body, widget, dashboard.labels, false);
    else if (widget.display === 'value') drawValue(body, widget, dashboard.labels);
    else if (widget.display === 'table') drawTable(body, widget);
    else if (widget.display === 'bars') drawBars(body, widget);
    else if (widget.display === 'slo') drawSlo(body, widget);
    else if (widget.display === 'note') body.appendChild(element('div', 'note', widget.text));
    else if (widget.display === 'group') {
      var inner = element('div', 'grid');
      widget.children.forEach(function (child) {
        drawWidget(inner, child, dashboard, panelIndex);
      });
      body.appendChild(inner);
    } else body.appendChild(element('div', 'unsupported', 'not drawn by the preview'));
    if (widget.display !== 'group' && widget.display !== 'note') {
      var footer = element('footer', 'queries');
      if (widget.monitor) footer.appendChild(element('div', 'monitor', 'monitor: ' + widget.monitor.name));
      widget.queries.forEach(function (query) {
        footer.appendChild(element('code', null, query));
      });
      widget.notes.forEach(function (note) {
        footer.appendChild(element('div', 'note-line', note));
      });
      section.appendChild(footer);
    }
    grid.appendChild(section);
  }

  function drawDashboard(root, panel, panelIndex) {
    var dashboard = panel.view;
    var article = element('article', 'dashboard');
    if (panel.caption) article.appendChild(element('div', 'caption', panel.caption));
    var head = element('div', 'dashboard-head');
    head.appendChild(element('h1', null, dashboard.title));
    head.appendChild(
      element('span', 'stack', dashboard.stack + ' · datadog_dashboard.' + dashboard.resource + ' · ' + dashboard.layoutType + ' layout'),
    );
    article.appendChild(head);
    if (dashboard.description) article.appendChild(element('p', 'description', dashboard.description));
    var variables = element('div', 'template-variables');
    dashboard.templateVariables.forEach(function (variable) {
      var chip = element('span', 'template-variable');
      chip.appendChild(element('b', null, '$' + variable.name));
      chip.appendChild(document.createTextNode(' ' + (variable.prefix ? variable.prefix + ':' : '') + variable.defaults.join(', ')));
      variables.appendChild(chip);
    });
    if (dashboard.templateVariables.length > 0) article.appendChild(variables);
    article.appendChild(element('div', 'data-source' + (dashboard.data.sample ? ' sample' : ''), dashboard.data.description));
    var grid = element('div', 'grid' + (dashboard.layoutType === 'free' ? ' free' : ''));
    dashboard.widgets.forEach(function (widget) {
      drawWidget(grid, widget, dashboard, panelIndex);
    });
    article.appendChild(grid);
    root.appendChild(article);
  }

  var root = document.getElementById('dashboards');
  spec.panels.forEach(function (panel, index) {
    drawDashboard(root, panel, index);
  });
  document.body.dataset.ready = 'true';
})();

// The pages' own script (inline, allowed by its hash): draws each memory curve with uPlot from the JSON block beside
// it, and on the dashboard adds incidents pushed by server-sent events. Log text only ever reaches the DOM as
// textContent, never as markup.

/** Draws every `[data-memory]` chart. Needs the global `uPlot`. */
export const CHART_SCRIPT = `(() => {
  const css = getComputedStyle(document.documentElement);
  const color = (name) => css.getPropertyValue(name).trim();
  const mib = (kb) => kb == null ? '–' : (kb / 1024).toFixed(kb < 10240 ? 1 : 0) + ' MiB';
  for (const holder of document.querySelectorAll('[data-memory]')) {
    const source = document.getElementById(holder.dataset.memory);
    if (!source) continue;
    const data = JSON.parse(source.textContent);
    const series = [{}];
    const columns = [data.t];
    const add = (label, values, stroke) => {
      if (!values.some((v) => v !== null)) return;
      series.push({ label, stroke, width: 2, spanGaps: true, value: (u, v) => mib(v) });
      columns.push(values);
    };
    add('RSS', data.rss, color('--oom-killer'));
    add('peak RSS', data.hwm, color('--oom-daemon'));
    add('cgroup', data.cgroup, color('--stopped'));
    const axis = { stroke: color('--muted'), grid: { stroke: color('--grid') }, ticks: { stroke: color('--grid') } };
    const width = () => Math.max(240, holder.clientWidth);
    const plot = new uPlot({
      width: width(), height: 220, series,
      // The times were shifted to the incident's zone: read them as UTC so the axis shows that zone's clock.
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
      axes: [axis, { ...axis, size: 70, values: (u, vals) => vals.map(mib) }],
    }, columns, holder);
    new ResizeObserver(() => plot.setSize({ width: width(), height: 220 })).observe(holder);
  }
})();`;

/** The dashboard's live list: each incident the server pushes becomes a new row (when it passes the filters). */
export const LIVE_SCRIPT = `(() => {
  const table = document.getElementById('incidents');
  const status = document.getElementById('live');
  if (!table || !status || !window.EventSource) return;
  const events = new EventSource('events' + location.search);
  events.addEventListener('open', () => { status.textContent = 'live'; status.classList.add('on'); });
  events.addEventListener('error', () => { status.textContent = 'reconnecting…'; status.classList.remove('on'); });
  events.addEventListener('incident', (message) => {
    const row = JSON.parse(message.data);
    const tr = document.createElement('tr');
    tr.className = 'fresh c-' + row.cause;
    const cell = (text) => { const td = document.createElement('td'); td.textContent = text; tr.append(td); return td; };
    cell(row.when);
    cell(row.app);
    const who = cell('');
    const link = document.createElement('a');
    link.href = 'incidents/' + encodeURIComponent(row.id);
    link.textContent = row.process;
    who.append(link);
    const cause = cell('');
    const badge = document.createElement('span');
    badge.className = 'badge c-' + row.cause;
    badge.textContent = row.cause;
    cause.append(badge);
    cell(row.confidence);
    cell(row.says);
    table.tBodies[0].prepend(tr);
    const empty = document.getElementById('no-incidents');
    if (empty) empty.remove();
    const count = document.getElementById('count');
    if (count) count.textContent = String(table.tBodies[0].rows.length);
  });
})();`;

// NetJournal's web view. Note text and names only ever go into the page through textContent, never as markup.
'use strict';

const FILTERS = ['client', 'address', 'since', 'until', 'grep', 'last'];
const DEFAULT_LAST = 1000;
const TOKEN = 'netjournal.token';
const $ = (id) => document.getElementById(id);

// With keys on, the server answers 401 until a token is given: the token box is shown and the request tried again.
class TokenNeeded extends Error {}

// The token of this tab (sessionStorage: gone when the tab closes), or null.
function token() { return sessionStorage.getItem(TOKEN); }

// The name a token is for: its part before the last dot, percent-decoded.
function tokenName(t) {
  try { return decodeURIComponent(t.slice(0, t.lastIndexOf('.'))); } catch { return ''; }
}

function authHeaders(headers) {
  const t = token();
  if (t) headers.Authorization = `Bearer ${t}`;
  return headers;
}

// Shows the token box, saying why; everything else waits for a token.
function askToken(why) {
  stopLive();
  // What a refused token showed is not this tab's to keep showing.
  $('notes').replaceChildren();
  $('clients').tBodies[0].replaceChildren();
  $('summary').textContent = '';
  notes = [];
  drawChart();
  setStatus('');
  // The first time the box says it all; a token that was given and refused is dropped, and why is said.
  $('token-why').textContent = token() ? why : '';
  if (token()) { sessionStorage.removeItem(TOKEN); showToken(); }
  $('token-form').hidden = false;
  $('token').focus();
}

// The token box's answer: kept for this tab, then the journal read again with it.
function useToken(event) {
  event.preventDefault();
  const t = $('token').value.trim();
  if (!t) return;
  sessionStorage.setItem(TOKEN, t);
  $('token').value = '';
  $('token-form').hidden = true;
  showToken();
  load();
}

function forgetToken() {
  sessionStorage.removeItem(TOKEN);
  showToken();
  load();
}

// With a token, notes are written under its name: the name box shows it and cannot be changed.
function showToken() {
  const t = token();
  $('forget').hidden = !t;
  $('who').textContent = t ? `as ${tokenName(t)}` : '';
  $('name').readOnly = !!t;
  $('name').value = t ? tokenName(t) : (localStorage.getItem('netjournal.name') || '');
}

let stream = null;      // the EventSource while live
let cursor = '0';       // the last seq shown: where the event stream resumes
let notes = [];         // the notes shown, for the chart
let lastDay = null;     // the day heading notes are appended under
let lastBody = null;

// The filters of the URL's query, as the API takes them.
function urlFilters() {
  const query = new URLSearchParams(location.search);
  const filters = new URLSearchParams();
  for (const name of FILTERS) if (query.get(name)) filters.set(name, query.get(name));
  return filters;
}

// A time of the API (ISO 8601) as a datetime-local value in the browser's zone; '' when it is not one.
function toLocalInput(iso) {
  const t = new Date(iso);
  if (isNaN(t)) return '';
  const p = (n) => String(n).padStart(2, '0');
  return `${t.getFullYear()}-${p(t.getMonth() + 1)}-${p(t.getDate())}T${p(t.getHours())}:${p(t.getMinutes())}:${p(t.getSeconds())}`;
}

function fillForm() {
  const form = $('filters');
  const filters = urlFilters();
  for (const name of FILTERS) {
    const value = filters.get(name) || '';
    form.elements[name].value = name === 'since' || name === 'until' ? toLocalInput(value) : value;
  }
  $('live').checked = new URLSearchParams(location.search).get('live') === '1';
}

// The form's filters into the URL (so a view can be bookmarked and shared), then reload.
function applyForm(event) {
  event.preventDefault();
  const form = $('filters');
  const query = new URLSearchParams();
  for (const name of FILTERS) {
    let value = form.elements[name].value.trim();
    if ((name === 'since' || name === 'until') && value) value = new Date(value).toISOString();
    if (value) query.set(name, value);
  }
  if ($('live').checked) query.set('live', '1');
  history.pushState(null, '', query.toString() ? `?${query}` : location.pathname);
  load();
}

function setStatus(text) { $('status').textContent = text; }

async function getJson(url) {
  const response = await fetch(url, { headers: authHeaders({ Accept: 'application/json' }) });
  const body = await response.json();
  if (response.status === 401) throw new TokenNeeded(body.error || 'this journal takes a token');
  if (!response.ok) throw new Error(body.error || `HTTP ${response.status}`);
  return body;
}

async function load() {
  stopLive();
  const filters = urlFilters();
  if (!filters.has('last')) filters.set('last', String(DEFAULT_LAST));
  $('notes').replaceChildren();
  notes = [];
  lastDay = null;
  try {
    let after = null;
    let end = '0';
    do {
      const query = new URLSearchParams(filters);
      query.set('limit', '5000');
      if (after) query.set('after', after);
      const page = await getJson(`api/notes?${query}`);
      for (const note of page.notes) addNote(note, false);
      after = page.next;
      end = page.end;
    } while (after);
    cursor = end;
    showSummary(urlFilters().has('last') || notes.length < DEFAULT_LAST ? '' : ` (the latest ${DEFAULT_LAST})`);
    setStatus('');
  } catch (e) {
    if (e instanceof TokenNeeded) { askToken(e.message); return; }
    setStatus(`could not read the journal: ${e.message}`);
  }
  drawChart();
  loadClients();
  if ($('live').checked) startLive();
}

function showSummary(more) {
  $('summary').textContent = notes.length === 0 ? 'no notes match these filters'
    : `${notes.length} note${notes.length === 1 ? '' : 's'}${more}`;
}

async function loadClients() {
  try {
    const { clients } = await getJson('api/clients');
    const body = $('clients').tBodies[0];
    const names = $('client-names');
    body.replaceChildren();
    names.replaceChildren();
    for (const c of clients) {
      const row = body.insertRow();
      const name = row.insertCell();
      const link = document.createElement('a');
      link.href = `?client=${encodeURIComponent(c.name)}`;
      link.textContent = c.name;
      link.dir = 'auto';
      link.title = `last from ${c.lastAddress}`;
      name.append(link);
      row.insertCell().textContent = c.notes;
      row.insertCell().textContent = new Date(c.last).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' });
      const option = document.createElement('option');
      option.value = c.name;
      names.append(option);
    }
  } catch (e) {
    if (e instanceof TokenNeeded) askToken(e.message);
    else setStatus(`could not read the clients: ${e.message}`);
  }
}

// One note as a row under its day's heading (the browser's local time); live ones are marked new.
function addNote(note, live) {
  notes.push(note);
  const time = new Date(note.time);
  const day = time.toLocaleDateString(undefined, { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' });
  if (day !== lastDay) {
    const heading = document.createElement('h2');
    heading.className = 'day';
    heading.textContent = day;
    const table = document.createElement('table');
    table.className = 'notes';
    lastBody = table.createTBody();
    $('notes').append(heading, table);
    lastDay = day;
  }
  const row = lastBody.insertRow();
  row.dataset.seq = note.seq;
  // When it reached the page (Unix ms): what the delay from acknowledgement to the page is measured with.
  row.dataset.arrived = String(performance.timeOrigin + performance.now());
  if (live) row.className = 'new';
  const cells = [
    ['time', time.toLocaleTimeString(undefined, { hour12: false })],
    ['name', note.client],
    ['text', note.text],
  ];
  for (const [cls, value] of cells) {
    const cell = row.insertCell();
    cell.className = cls;
    cell.dir = 'auto';
    cell.textContent = value;
  }
  row.cells[0].title = `#${note.seq} ${note.time}`;
  row.cells[1].title = note.address + (note.origin ? ` (${note.origin})` : '');
}

// The clients list after live notes, at most once a second.
let clientsTimer = null;
function refreshClientsSoon() {
  if (!clientsTimer) clientsTimer = setTimeout(() => { clientsTimer = null; loadClients(); }, 1000);
}

function startLive() {
  const query = urlFilters();
  query.delete('last');
  query.set('after', cursor);
  // An EventSource cannot send headers: the stream alone takes the token in its URL.
  if (token()) query.set('token', token());
  // On a dropped connection EventSource reconnects by itself, sending the last id it got: nothing missed, nothing twice.
  stream = new EventSource(`api/events?${query}`);
  stream.onopen = () => setStatus('live');
  stream.onerror = () => {
    const closed = stream && stream.readyState === EventSource.CLOSED;
    setStatus(closed ? 'live stream closed' : 'reconnecting…');
    // A stream refused (its token no longer taken, say) is not retried by the browser: ask why, once.
    if (closed) getJson('api/clients').catch((e) => { if (e instanceof TokenNeeded) askToken(e.message); });
  };
  stream.onmessage = (event) => {
    const note = JSON.parse(event.data);
    cursor = event.lastEventId;
    addNote(note, true);
    showSummary('');
    drawChart();
    refreshClientsSoon();
  };
}

function stopLive() {
  if (stream) stream.close();
  stream = null;
}

function toggleLive() {
  const query = new URLSearchParams(location.search);
  if ($('live').checked) query.set('live', '1'); else query.delete('live');
  history.replaceState(null, '', query.toString() ? `?${query}` : location.pathname);
  if ($('live').checked) startLive(); else { stopLive(); setStatus(''); }
}

// Notes per hour when the notes shown span two days or less, else per day: bars in an inline SVG.
function drawChart() {
  const svg = $('chart');
  svg.replaceChildren();
  if (notes.length === 0) { $('chart-title').textContent = 'Notes'; return; }
  const first = new Date(notes[0].time).getTime();
  const last = new Date(notes[notes.length - 1].time).getTime();
  const hourly = last - first <= 2 * 86400000;
  const key = (t) => {
    const d = new Date(t);
    if (!hourly) d.setHours(0, 0, 0, 0); else d.setMinutes(0, 0, 0);
    return d.getTime();
  };
  const step = hourly ? 3600000 : 86400000;
  const counts = new Map();
  for (const n of notes) { const k = key(n.time); counts.set(k, (counts.get(k) || 0) + 1); }
  const start = key(first);
  const buckets = Math.min(Math.round((key(last) - start) / step) + 1, 120);
  const max = Math.max(...counts.values());
  const width = Math.min(300 / buckets, 30);
  const ns = 'http://www.w3.org/2000/svg';
  for (let i = 0; i < buckets; i++) {
    const at = key(start + i * step + step / 2);
    const count = counts.get(at) || 0;
    const height = count ? Math.max(2, 96 * count / max) : 0;
    const bar = document.createElementNS(ns, 'rect');
    bar.setAttribute('x', String(i * width + width * 0.1));
    bar.setAttribute('width', String(width * 0.8));
    bar.setAttribute('y', String(100 - height));
    bar.setAttribute('height', String(height));
    const title = document.createElementNS(ns, 'title');
    title.textContent = `${new Date(at).toLocaleString()}: ${count}`;
    bar.append(title);
    svg.append(bar);
  }
  $('chart-title').textContent = hourly ? 'Notes per hour' : 'Notes per day';
}

async function writeNote(event) {
  event.preventDefault();
  const name = $('name').value.trim();
  const text = $('text').value;
  $('write-error').textContent = '';
  if (!token()) localStorage.setItem('netjournal.name', name);
  try {
    const response = await fetch('api/notes', {
      method: 'POST',
      headers: authHeaders({ 'Content-Type': 'application/json' }),
      body: JSON.stringify({ text, name }),
    });
    const body = await response.json();
    if (response.status === 401) { askToken(body.error || 'this journal takes a token'); return; }
    if (!response.ok) throw new Error(body.error || `HTTP ${response.status}`);
    $('text').value = '';
    setStatus(`stored #${body.seq}`);
    if (!stream) load();
  } catch (e) {
    $('write-error').textContent = e.message;
  }
}

function clearFilters() {
  for (const name of FILTERS) $('filters').elements[name].value = '';
  $('filters').requestSubmit();
}

document.addEventListener('DOMContentLoaded', () => {
  showToken();
  $('token-form').addEventListener('submit', useToken);
  $('forget').addEventListener('click', forgetToken);
  $('filters').addEventListener('submit', applyForm);
  $('clear').addEventListener('click', clearFilters);
  $('write').addEventListener('submit', writeNote);
  $('live').addEventListener('change', toggleLive);
  window.addEventListener('popstate', () => { fillForm(); load(); });
  fillForm();
  load();
});

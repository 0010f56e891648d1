// Todo web UI: the few things htmx does not do. Loaded as a file (the CSP allows no inline script).
(function () {
  'use strict';
  var csrfMeta = document.querySelector('meta[name="csrf-token"]');
  var csrf = csrfMeta ? csrfMeta.content : null;
  var UNDO_MS = 6000;

  // ---- small helpers -------------------------------------------------------------------------
  function $(sel, root) { return (root || document).querySelector(sel); }
  function $all(sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); }
  function announce(text) {
    var a = $('#announcer');
    if (a) { a.textContent = ''; setTimeout(function () { a.textContent = text; }, 30); }
  }
  function debounce(fn, ms) {
    var t = null;
    return function () { clearTimeout(t); t = setTimeout(fn, ms); };
  }

  // ---- toasts ------------------------------------------------------------------------------------
  // a toast stays while the pointer or the focus is on it (time to reach its Undo), then goes
  function armToast(toast) {
    if (toast.dataset.armed) return;
    toast.dataset.armed = '1';
    var timer = null;
    function start() { clearTimeout(timer); timer = setTimeout(function () { toast.remove(); }, toast.dataset.keep ? 15000 : UNDO_MS + 4000); }
    function hold() { clearTimeout(timer); }
    toast.addEventListener('mouseenter', hold);
    toast.addEventListener('focusin', hold);
    toast.addEventListener('mouseleave', start);
    toast.addEventListener('focusout', start);
    start();
  }
  function toast(text, undo) {
    var box = $('#toasts');
    if (!box) return null;
    var t = document.createElement('div');
    t.className = 'toast';
    t.setAttribute('data-toast', '');
    var span = document.createElement('span');
    span.textContent = text;
    t.appendChild(span);
    if (undo) {
      var b = document.createElement('button');
      b.type = 'button';
      b.className = 'btn small light';
      b.textContent = 'Undo';
      b.setAttribute('data-undo', '');
      b.addEventListener('click', function () { undo(); t.remove(); });
      t.appendChild(b);
    }
    var close = document.createElement('button');
    close.type = 'button';
    close.className = 'toast-close';
    close.setAttribute('aria-label', 'Dismiss');
    close.setAttribute('data-dismiss', '');
    close.textContent = '×';
    t.appendChild(close);
    box.appendChild(t);
    armToast(t);
    return t;
  }
  document.addEventListener('click', function (e) {
    var d = e.target.closest('[data-dismiss]');
    if (d) d.closest('.toast').remove();
  });

  // ---- sign-up: the browser's time zone ---------------------------------------------------------
  $all('[data-browser-zone]').forEach(function (input) {
    try { input.value = Intl.DateTimeFormat().resolvedOptions().timeZone || ''; } catch (e) { /* UTC then */ }
  });

  // ---- htmx integration ---------------------------------------------------------------------------
  document.addEventListener('htmx:configRequest', function (e) {
    // the filter form: blank fields stay out of the URL, so it reads like what was chosen
    if (e.detail.elt && e.detail.elt.id === 'filters' && e.detail.formData) {
      var fd = e.detail.formData, keep = [];
      fd.forEach(function (v, k) { if (String(v).trim() !== '') keep.push([k, v]); });
      Array.from(new Set(Array.from(fd.keys()))).forEach(function (k) { fd.delete(k); });
      keep.forEach(function (p) { fd.append(p[0], p[1]); });
    }
  });
  document.addEventListener('htmx:responseError', function (e) {
    var xhr = e.detail.xhr, text = 'Something went wrong (' + xhr.status + ').';
    try {
      var p = JSON.parse(xhr.responseText);
      if (p.detail) text = p.detail;
    } catch (ignored) { /* not problem+json */ }
    if (xhr.status === 412 || xhr.status === 404) refreshList();
    toast(text);
  });
  document.addEventListener('htmx:sendError', function () { toast('The server cannot be reached; try again in a moment.'); });
  document.addEventListener('htmx:afterRequest', function (e) {
    var f = e.detail.elt && e.detail.elt.closest && e.detail.elt.closest('[data-undo]');
    if (f && e.detail.successful) { var t = f.closest('.toast'); if (t) t.remove(); }
  });
  document.addEventListener('htmx:afterSettle', function () {
    $all('.toast').forEach(armToast);
    restoreSelection();
  });
  document.body.addEventListener('quick-added', function () {
    var q = $('#quick');
    if (q) { q.value = ''; q.removeAttribute('aria-invalid'); q.focus(); }
  });

  // ---- delete with undo: the request is sent when the undo window closes ---------------------------
  var pendingDeletes = new Map();
  function sendDelete(id, beacon) {
    var p = pendingDeletes.get(id);
    if (!p) return;
    pendingDeletes.delete(id);
    clearTimeout(p.timer);
    var body = new URLSearchParams(new FormData(p.form));
    if (beacon && navigator.sendBeacon) {
      body.set('via', 'beacon');
      navigator.sendBeacon(p.form.action, body);
      return;
    }
    fetch(p.form.action, { method: 'POST', body: body, credentials: 'same-origin', headers: { 'HX-Request': 'true' } })
      .then(function (r) {
        if (r.ok) { p.row.remove(); return; }
        p.row.hidden = false;
        return r.json().then(function (problem) { toast(problem.detail || 'The task could not be deleted.'); });
      })
      .catch(function () { p.row.hidden = false; toast('The task could not be deleted: the server cannot be reached.'); });
  }
  document.addEventListener('submit', function (e) {
    var form = e.target.closest('form.delete-form');
    if (!form) return;
    e.preventDefault();
    var row = form.closest('li.task');
    var id = row ? row.dataset.id : form.action;
    if (row) { moveSelection(1); row.hidden = true; }
    var p = { form: form, row: row || document.createElement('li') };
    p.timer = setTimeout(function () { sendDelete(id, false); }, UNDO_MS);
    pendingDeletes.set(id, p);
    toast('Deleted “' + (form.dataset.title || 'task') + '”', function () {
      clearTimeout(p.timer);
      pendingDeletes.delete(id);
      if (row) { row.hidden = false; select(row); }
      announce('Delete undone');
    });
    if (!row) sendDelete(id, false);
  });
  window.addEventListener('pagehide', function () {
    Array.from(pendingDeletes.keys()).forEach(function (id) { sendDelete(id, true); });
  });

  // ---- list selection and keyboard shortcuts ---------------------------------------------------------
  var selectedId = null;
  function rows() { return $all('#task-list > li.task:not([hidden])'); }
  function selected() { return selectedId ? document.getElementById('task-' + selectedId) : null; }
  function select(row, focus) {
    $all('#task-list > li.selected').forEach(function (r) { r.classList.remove('selected'); });
    if (!row) { selectedId = null; return; }
    selectedId = row.dataset.id;
    row.classList.add('selected');
    if (focus !== false) { row.focus({ preventScroll: true }); row.scrollIntoView({ block: 'nearest' }); }
  }
  function moveSelection(step) {
    var list = rows();
    if (!list.length) return;
    var cur = selected(), i = cur ? list.indexOf(cur) : -1;
    var next = i < 0 ? (step > 0 ? 0 : list.length - 1) : Math.max(0, Math.min(list.length - 1, i + step));
    select(list[next]);
  }
  function restoreSelection() {
    if (!selectedId) return;
    var row = selected();
    if (row) select(row, document.activeElement === document.body || !document.activeElement);
  }
  document.addEventListener('focusin', function (e) {
    var row = e.target.closest && e.target.closest('#task-list > li.task');
    if (row && row.dataset.id !== selectedId) select(row, false);
  });
  // htmx wires up what it swapped in only when the swap settles (20 ms on): a key pressed before that
  // would submit the form the old way and leave the page, so the form is wired up first
  function ready(form) { if (form && window.htmx) window.htmx.process(form); return form; }
  function typing(el) {
    return el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
  }
  document.addEventListener('keydown', function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey || !document.body.dataset.signedIn) return;
    var dialog = $('#shortcuts');
    if (dialog && dialog.open) return;
    if (typing(e.target)) {
      if (e.key === 'Escape') e.target.blur();
      return;
    }
    var row = selected();
    switch (e.key) {
      case 'n': {
        var q = $('#quick');
        if (q) { e.preventDefault(); q.focus(); } else { window.location.href = '/?new'; }
        break;
      }
      case '/': {
        var s = $('#search');
        if (s) { e.preventDefault(); s.focus(); s.select(); }
        break;
      }
      case 'j': e.preventDefault(); moveSelection(1); break;
      case 'k': e.preventDefault(); moveSelection(-1); break;
      case 'x':
        if (row) { e.preventDefault(); var b = $('[data-toggle]', row); if (b) { ready(b.form); b.click(); } }
        break;
      case 'e':
        if (row) { e.preventDefault(); var a = $('[data-edit]', row); if (a) window.location.href = a.href; }
        break;
      case 'u': {
        var undos = $all('#toasts [data-undo]');
        if (undos.length) {
          e.preventDefault();
          var u = undos[undos.length - 1];
          if (u.tagName === 'FORM') ready(u).requestSubmit(); else { ready(u.form); u.click(); }
        }
        break;
      }
      case '?':
        if (dialog) { e.preventDefault(); dialog.showModal(); }
        break;
      default:
    }
  });
  $all('[data-show-shortcuts]').forEach(function (b) {
    b.addEventListener('click', function () { var d = $('#shortcuts'); if (d) d.showModal(); });
  });
  if (/[?&]new\b/.test(window.location.search) && $('#quick')) $('#quick').focus();

  // ---- live updates over /api/stream --------------------------------------------------------------
  var refreshList = debounce(function () {
    var region = $('#list-region');
    if (!region || !window.htmx) return;
    var params = new URLSearchParams(window.location.search);
    params.delete('new');
    params.set('limit', String(Math.min(200, Math.max(50, rows().length))));
    window.htmx.ajax('GET', '/tasks/list?' + params.toString(),
      { target: '#list-region', swap: 'innerHTML', headers: { 'X-Live-Refresh': '1' } }).then(restoreSelection);
  }, 150);

  // ---- swaps never take a row back in time, nor away from under the user's own action ----------------
  // A live refresh, a row re-render and the user's complete/skip/undo can all be in flight at once and
  // answer in any order; the row's version (one more on every change) decides which copy is shown.
  function version(row) { return row ? Number(row.getAttribute('data-version')) || 0 : 0; }
  function undoShownFor(row) {
    return $all('#toasts form[data-undo]').some(function (f) { return f.getAttribute('hx-target') === '#' + row.id; });
  }
  // the user's own complete/skip/undo on this row is on its way: its answer goes to this very element
  function acting(row) { return !!$('.htmx-request', row); }
  // completed (or skipped) here a moment ago: it stays in view with its undo until the toast goes,
  // even when the list shows open tasks only; likewise a row whose own action is still on its way
  function held(row) { return acting(row) || undoShownFor(row); }
  function reuse(old, replaced) {
    if (replaced) replaced.replaceWith(old);
    window.htmx.process(old); // the list swap cleaned it up along with the rest
  }
  var listBefore = null;
  document.addEventListener('htmx:beforeSwap', function (e) {
    var target = e.detail.target;
    if (!target || !e.detail.shouldSwap) return;
    if (target.id === 'list-region') {
      listBefore = {
        live: !!(e.detail.requestConfig && e.detail.requestConfig.headers && e.detail.requestConfig.headers['X-Live-Refresh']),
        rows: $all('#task-list > li.task')
      };
      return;
    }
    if (!target.matches || !target.matches('li.task')) return;
    var current = document.getElementById(target.id);
    if (current !== target) {
      // the row was re-rendered (or the list refreshed) while this answer was on its way
      if (!current) { e.detail.shouldSwap = false; return; }
      e.detail.target = current;
    }
    var m = /^\s*<li\b[^>]*\bdata-version="(\d+)"/.exec(e.detail.serverResponse || e.detail.xhr.responseText || '');
    if (m && Number(m[1]) < version(current)) e.detail.shouldSwap = false; // an older copy than the one shown
  });
  document.addEventListener('htmx:afterSwap', function (e) {
    if (!listBefore || !e.detail.target || e.detail.target.id !== 'list-region') return;
    var before = listBefore;
    listBefore = null;
    var list = $('#task-list');
    if (!list) return;
    before.rows.forEach(function (old, i) {
      var now = document.getElementById(old.id);
      if (now) {
        // the list was read before this row's last change, or the row's own answer is still to come
        if (acting(old) || version(old) > version(now)) reuse(old, now);
      } else if (before.live && held(old)) {
        var prev = i > 0 ? document.getElementById(before.rows[i - 1].id) : null;
        list.insertBefore(old, prev && prev.parentNode === list ? prev.nextSibling : list.firstChild);
        reuse(old, null);
      }
    });
  });
  function refreshBell() {
    var bell = $('#bell');
    if (bell && window.htmx) window.htmx.trigger(document.body, 'refresh-bell');
    if ($('#notification-list') && window.htmx) window.htmx.trigger(document.body, 'refresh-notifications');
  }
  function replaceRow(id) {
    var row = document.getElementById('task-' + id);
    if (!row || !window.htmx) return false;
    if (row.contains(document.activeElement) && document.activeElement !== row) return true; // not under the user's hands
    if (acting(row)) return true; // the user's own action on it answers with the newest copy
    window.htmx.ajax('GET', '/tasks/' + id + '/row', { target: '#task-' + id, swap: 'outerHTML' });
    return true;
  }
  function notify(n) {
    var title = n && n.title ? n.title : 'Reminder';
    toast('Reminder: ' + title).dataset.keep = '1';
    announce('Reminder: ' + title);
    if ('Notification' in window && Notification.permission === 'granted' && document.visibilityState !== 'visible') {
      try { new Notification('Reminder', { body: title, tag: n && n.id ? n.id : undefined }); } catch (ignored) { /* not allowed here */ }
    }
  }
  function handle(type, payload) {
    var id = payload.taskId;
    var data = payload.data || {};
    if (type === 'notification.created') { refreshBell(); notify(data.notification); return; }
    if (type.indexOf('notification.') === 0) { refreshBell(); return; }
    if (!$('#list-region')) return;
    if (type === 'task.deleted') {
      if (pendingDeletes.has(id)) return;
      var r = document.getElementById('task-' + id);
      if (r) r.remove();
      return;
    }
    // this page already shows the task (it was added here): nothing to fetch
    if (type === 'task.created' && document.getElementById('task-' + id)) return;
    if (type === 'task.updated' && replaceRow(id)) return;
    if ((type === 'task.completed' || type === 'task.reopened' || type === 'task.skipped') && document.getElementById('task-' + id)) {
      replaceRow(id);
      return;
    }
    refreshList();
  }
  // ---- the live stream, one per browser session -------------------------------------------------------
  // Over HTTP/1.1 a browser opens at most six connections to a server, and an open stream holds one:
  // with a stream per tab, the seventh tab of the app would wait for a connection. So the tabs of one
  // session share a stream: the tab holding the session's Web Lock opens it and passes each event on
  // through a BroadcastChannel; when that tab closes or is left, the lock goes to another tab, which
  // resumes from the last event it was passed. Without Web Locks (a page not served over HTTPS or
  // from localhost) each tab opens its own stream, as before.
  var lastEventId = null, retryMs = 1000, source = null, everOpen = false;
  var LIVE_TYPES = ['task.created', 'task.occurrence.generated', 'task.updated', 'task.completed', 'task.reopened', 'task.skipped', 'task.deleted',
    'notification.created', 'notification.read'];
  var LOCK = 'todo-live:' + csrf;
  var channel = csrf && navigator.locks && typeof BroadcastChannel !== 'undefined' ? new BroadcastChannel(LOCK) : null;
  var leading = false, left = false, releaseLead = null, leadRequest = null, sharedState = -1, followed = false;
  function share(message) {
    if (channel && leading) channel.postMessage(message);
  }
  function received(type, data, id) {
    if (id) lastEventId = id;
    try { handle(type, JSON.parse(data)); } catch (err) { /* a malformed frame is skipped */ }
  }
  function reset(id) {
    lastEventId = id || null;
    refreshList();
    refreshBell();
  }
  // the stream is this tab's to open: it leads its session's tabs, or it has no one to share with
  function mayStream() {
    return !left && (channel ? leading : true);
  }
  function retry() {
    setTimeout(connect, retryMs);
    retryMs = Math.min(retryMs * 2, 15000);
  }
  // closes this tab's stream and tells the tabs that follow it
  function closeStream() {
    if (source) { source.close(); source = null; }
    share({ kind: 'state', state: 0 });
  }
  function connect() {
    if (!csrf || typeof EventSource === 'undefined' || !mayStream()) return;
    fetch('/live/ticket', { method: 'POST', credentials: 'same-origin', headers: { 'X-CSRF-Token': csrf } })
      .then(function (r) {
        if (r.status === 401 || r.status === 403 || r.redirected) return null;
        if (!r.ok) throw new Error('ticket ' + r.status);
        return r.json();
      })
      .then(function (t) {
        // a retry and a return from the back/forward cache may both get here: one stream only
        if (!t || !mayStream() || source) return;
        var url = t.url + (lastEventId ? '&lastEventId=' + encodeURIComponent(lastEventId) : '');
        var es = new EventSource(url);
        source = es;
        es.onopen = function () {
          retryMs = 1000;
          document.body.dataset.live = 'open';
          share({ kind: 'state', state: 1 });
          // a stream opened without a resume point cannot replay what happened while it was down
          if (everOpen && !lastEventId) { refreshList(); refreshBell(); }
          everOpen = true;
        };
        es.onerror = function () {
          es.close();
          if (source === es) source = null;
          document.body.dataset.live = 'closed';
          share({ kind: 'state', state: 0 });
          retry();
        };
        LIVE_TYPES.forEach(function (type) {
          es.addEventListener(type, function (ev) {
            share({ kind: 'event', type: type, data: ev.data, id: ev.lastEventId });
            received(type, ev.data, ev.lastEventId);
          });
        });
        es.addEventListener('reset', function (ev) {
          share({ kind: 'reset', id: ev.lastEventId });
          reset(ev.lastEventId);
        });
      })
      .catch(retry);
  }
  function lead() {
    left = false;
    if (!channel) { connect(); return; }
    if (leading || leadRequest) return;
    leadRequest = new AbortController();
    navigator.locks.request(LOCK, { signal: leadRequest.signal }, function () {
      leadRequest = null;
      leading = true;
      // taking over from another tab: a stream opened without a resume point refreshes what it shows
      if (followed) everOpen = true;
      connect();
      return new Promise(function (resolve) { releaseLead = resolve; });
    }).catch(function () { /* the page was left before its turn came */ });
    channel.postMessage({ kind: 'hello' }); // the leading tab answers with its stream's state
  }
  function stepDown() {
    left = true;
    if (leadRequest) { leadRequest.abort(); leadRequest = null; }
    closeStream();
    leading = false;
    if (releaseLead) { releaseLead(); releaseLead = null; }
  }
  if (channel) {
    channel.onmessage = function (m) {
      var d = m.data || {};
      if (d.kind === 'hello') { if (leading) share({ kind: 'state', state: source ? source.readyState : 0 }); return; }
      if (leading) return;
      followed = true;
      if (d.kind === 'state') sharedState = d.state;
      else if (d.kind === 'event') received(d.type, d.data, d.id);
      else if (d.kind === 'reset') reset(d.id);
    };
  }
  lead();
  // A page the user leaves lets its stream go at once (another tab of the session takes it over), so
  // streams of pages left behind in the back/forward cache hold no connection. Coming back, a page
  // resumes from the last event it saw if it has the stream to itself; sharing one, it fetches what it
  // shows afresh, since it may only follow another tab (it learns whether it leads later, if at all).
  window.addEventListener('pagehide', stepDown);
  window.addEventListener('pageshow', function (e) {
    if (!e.persisted) return;
    lead();
    if (channel) { refreshList(); refreshBell(); }
  });

  // ---- browser notifications: asked for only when the user clicks ------------------------------------
  $all('[data-enable-notifications]').forEach(function (b) {
    if (!('Notification' in window)) { b.hidden = true; return; }
    if (Notification.permission === 'granted') { b.disabled = true; b.textContent = 'Browser notifications are on'; }
    b.addEventListener('click', function () {
      Notification.requestPermission().then(function (p) {
        b.textContent = p === 'granted' ? 'Browser notifications are on' : 'Browser notifications are blocked';
        b.disabled = p === 'granted';
      });
    });
  });

  // test hook: the stream's state, for waiting on it rather than sleeping
  window.todoLive = {
    // the shared stream's state in a tab that follows another
    state: function () { return source ? source.readyState : channel && !leading && !left ? sharedState : -1; },
    leading: function () { return !channel || leading; },
    lastEventId: function () { return lastEventId; },
    // a network drop of the given length: the stream closes and reconnects afterwards with the last id seen
    drop: function (ms) {
      if (!source) return false;
      closeStream();
      setTimeout(connect, ms);
      return true;
    }
  };
}());

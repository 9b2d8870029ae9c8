// The console's one script: htmx does the requests; this file sends form changes to the JSON
// API, shows what the API answers (errors, a secret shown once), and keeps the incident queue live
// over server-sent events. No inline script anywhere: the Content-Security-Policy forbids it.
(function () {
  'use strict';

  function flash(text, ok) {
    var box = document.getElementById('flash');
    if (!box) return;
    box.className = ok ? 'flash ok' : 'flash';
    box.textContent = text;
  }

  // Form values as the API's JSON: data-json-type="boolean|number|null-if-empty|date-start|date-end".
  function typed(form, name, value) {
    var field = form.querySelector('[name="' + name + '"]');
    var type = field && field.getAttribute('data-json-type');
    if (type === 'boolean') return value === 'true';
    if (type === 'number') return value === '' ? undefined : Number(value);
    if (type === 'null-if-empty') return value === '' ? null : value;
    if (type === 'date-start') return value === '' ? undefined : value + 'T00:00:00Z';
    if (type === 'date-end') {
      if (value === '') return undefined;
      var end = new Date(value + 'T00:00:00Z');
      end.setUTCDate(end.getUTCDate() + 1);
      return end.toISOString();
    }
    if (type === 'list')
      return value
        .split(',')
        .map(function (item) {
          return item.trim();
        })
        .filter(Boolean);
    return value === '' ? undefined : value;
  }

  htmx.defineExtension('rampart-json', {
    onEvent: function (name, event) {
      if (name === 'htmx:configRequest') event.detail.headers['Content-Type'] = 'application/json';
    },
    encodeParameters: function (xhr, parameters, element) {
      xhr.overrideMimeType('text/json');
      var form = element.closest('form') || element;
      var body = {};
      parameters.forEach(function (value, key) {
        var converted = typed(form, key, value);
        if (converted !== undefined) body[key] = converted;
      });
      return JSON.stringify(body);
    },
  });

  function jsonOf(xhr) {
    try {
      return JSON.parse(xhr.responseText);
    } catch {
      return null;
    }
  }

  document.addEventListener('htmx:responseError', function (event) {
    if (event.detail.xhr.status === 401) {
      // The session ended (idle or absolute timeout, sign-out elsewhere): sign in and come back.
      window.location.href =
        '/login?reason=session_expired&returnTo=' +
        encodeURIComponent(window.location.pathname + window.location.search);
      return;
    }
    var answer = jsonOf(event.detail.xhr);
    flash((answer && answer.message) || 'The request failed (' + event.detail.xhr.status + ').', false);
  });
  document.addEventListener('htmx:sendError', function () {
    flash('Rampart cannot be reached. Check your connection and try again.', false);
  });

  document.addEventListener('htmx:afterRequest', function (event) {
    if (!event.detail.successful) return;
    var source = event.detail.elt.closest('[data-done]');
    if (!source) return;
    var done = source.getAttribute('data-done');
    if (done === 'reload') {
      sessionStorage.setItem('rampart-flash', source.getAttribute('data-done-message') || 'Done.');
      window.location.reload();
    } else if (done === 'check') {
      var check = jsonOf(event.detail.xhr) || {};
      var failed = check.status === 'failed';
      flash(
        (check.connector || 'connector') +
          ': ' +
          (check.status || 'unknown') +
          (check.error && check.error.message ? ' (' + check.error.message + ')' : '') +
          (check.checked ? ', ' + check.checked : ''),
        !failed,
      );
    } else if (done === 'secret') {
      var answer = jsonOf(event.detail.xhr) || {};
      var output = document.getElementById(source.getAttribute('data-secret-target'));
      if (output) {
        output.textContent = answer.key || answer.secret || '';
        output.hidden = false;
        output.focus();
      }
      flash('Copy the key now: it is shown only once.', true);
    }
  });

  // On an incident's page: say when someone else changed it, without wiping a half-typed comment.
  function watchIncident(box) {
    var id = box.getAttribute('data-incident');
    var source = new EventSource('/console/events');
    source.addEventListener('ready', function () {
      box.setAttribute('data-ready', '');
    });
    source.addEventListener('incident', function (event) {
      var change = JSON.parse(event.data);
      if (change.incidentId !== id) return;
      box.textContent = 'This incident changed (' + change.kind.replace(/_/g, ' ') + '). ';
      var reload = document.createElement('a');
      reload.href = window.location.pathname;
      reload.textContent = 'Reload to see it';
      box.appendChild(reload);
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    var message = sessionStorage.getItem('rampart-flash');
    if (message) {
      sessionStorage.removeItem('rampart-flash');
      flash(message, true);
    }
    if (!window.EventSource) return;
    var watched = document.getElementById('incident-live');
    if (watched) watchIncident(watched);
    var rows = document.getElementById('incident-rows');
    if (!rows || !rows.hasAttribute('data-live')) return;
    var status = document.getElementById('live-status');
    var pending = null;
    var source = new EventSource('/console/events');
    source.addEventListener('ready', function () {
      if (status) status.textContent = 'Live: new incidents appear here as they are opened.';
    });
    source.addEventListener('error', function () {
      if (status) status.textContent = 'Live updates paused; reconnecting…';
    });
    source.addEventListener('incident', function (event) {
      var change = JSON.parse(event.data);
      if (status && change.kind === 'created')
        status.textContent = 'New incident: ' + (change.title || change.incidentId);
      if (pending) return;
      pending = setTimeout(function () {
        pending = null;
        htmx.ajax('GET', window.location.pathname + window.location.search, {
          target: '#incident-rows',
          select: '#incident-rows',
          swap: 'outerHTML',
        });
      }, 250);
    });
  });
})();

// Upload progress for the attachment form of the case page. Without this
// script the form still works (a plain multipart post). It only sends the
// form as it is, shows the progress, and reads a refusal's message as text.
(function () {
  'use strict';
  var form = document.getElementById('upload-form');
  if (!form || !window.FormData || !window.XMLHttpRequest || !window.DOMParser) {
    return;
  }
  var input = document.getElementById('upload-files');
  var box = document.getElementById('upload-progress-box');
  var bar = document.getElementById('upload-progress');
  var status = document.getElementById('upload-status');
  var error = document.getElementById('attachments-error');
  var button = form.querySelector('button[type="submit"]');
  var maxBytes = parseInt(form.getAttribute('data-max-bytes'), 10) || 0;
  var maxFiles = parseInt(form.getAttribute('data-max-files'), 10) || 0;
  var maxText = form.getAttribute('data-max-text') || '';

  function showError(text) {
    error.textContent = text;
    error.hidden = false;
    input.setAttribute('aria-invalid', 'true');
    box.hidden = true;
    button.disabled = false;
  }

  function tooMuch() {
    var total = 0;
    for (var i = 0; i < input.files.length; i++) {
      total += input.files[i].size;
    }
    if (maxFiles && input.files.length > maxFiles) {
      return 'Choose at most ' + maxFiles + ' files.';
    }
    if (maxBytes && total > maxBytes) {
      return 'These files are larger than the upload limit of ' + maxText + ' in total.';
    }
    return '';
  }

  // refusal reads the message of the page the portal answered with,
  // without running anything in it.
  function refusal(xhr) {
    var doc = new DOMParser().parseFromString(xhr.responseText || '', 'text/html');
    var el = doc.getElementById('attachments-error') || doc.querySelector('.form-error') || doc.querySelector('h1');
    var text = el ? el.textContent.trim() : '';
    return text || 'The upload failed. Please try again.';
  }

  form.addEventListener('submit', function (ev) {
    if (!input.files || input.files.length === 0) {
      return;
    }
    ev.preventDefault();
    var problem = tooMuch();
    if (problem) {
      showError(problem);
      return;
    }
    error.hidden = true;
    input.removeAttribute('aria-invalid');
    box.hidden = false;
    bar.value = 0;
    status.textContent = 'Uploading…';
    button.disabled = true;
    var xhr = new XMLHttpRequest();
    xhr.open('POST', form.action);
    xhr.upload.addEventListener('progress', function (e) {
      if (e.lengthComputable && e.total > 0) {
        var pct = Math.floor((e.loaded / e.total) * 100);
        bar.value = pct;
        status.textContent = pct + '%';
      }
    });
    xhr.addEventListener('load', function () {
      if (xhr.status >= 200 && xhr.status < 300 && xhr.responseURL) {
        bar.value = 100;
        status.textContent = 'Done.';
        var target = xhr.responseURL.split('#')[0];
        if (target === window.location.href.split('#')[0]) {
          window.location.reload();
        } else {
          window.location.assign(target + '#attachments');
        }
        return;
      }
      showError(refusal(xhr));
    });
    xhr.addEventListener('error', function () {
      showError('The upload failed: the connection was interrupted.');
    });
    xhr.send(new FormData(form));
  });
}());

// The document form's helpers (no library; every page works without this file):
// - the error summary takes the focus when the page opens, and its links move the focus to
//   the input they name;
// - a form with data-autosave="N" saves itself every N seconds while it has changes (a POST of
//   the same form with autosave=1, answered with JSON), carrying the revision the page was shown
//   at, and takes the new revision from each answer: a save refused as stale (409) stops the
//   autosave and says so, and what was typed stays on the page;
// - leaving the page with changes unsaved asks first.
(function () {
  "use strict";

  function focusTarget(link) {
    var id = decodeURIComponent((link.getAttribute("href") || "").split("#")[1] || "");
    var target = id && document.getElementById(id);
    if (!target) {
      return false;
    }
    var label = document.querySelector("label[for='" + id + "']");
    (label || target).scrollIntoView();
    target.focus({ preventScroll: true });
    return true;
  }

  function errorSummary() {
    var summary = document.getElementById("error-summary");
    if (!summary) {
      return;
    }
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a");
      if (link && link.getAttribute("href").charAt(0) === "#" && focusTarget(link)) {
        event.preventDefault();
        history.replaceState(null, "", link.getAttribute("href"));
      }
    });
  }

  function autosave(form) {
    var seconds = parseInt(form.getAttribute("data-autosave"), 10);
    var status = document.getElementById("save-status");
    var revision = form.querySelector("input[name='revision']");
    var edits = 0;
    var saved = 0;
    var inFlight = null;
    var stopped = false;
    var submitting = false;

    function dirty() {
      return edits !== saved;
    }
    function say(text, problem) {
      if (status) {
        status.textContent = text;
        status.classList.toggle("error-message", !!problem);
      }
    }
    function save() {
      if (stopped || inFlight || !dirty()) {
        return inFlight;
      }
      var snapshot = edits;
      var body = new FormData(form);
      body.set("autosave", "1");
      body.delete("more_rows");
      inFlight = fetch(form.action, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (response) {
          return response.json().then(function (answer) {
            if (response.ok) {
              revision.value = answer.revision;
              saved = snapshot;
              say(answer.message, answer.problems > 0);
            } else {
              stopped = response.status === 409 || response.status === 403;
              say(answer.detail || "", true);
            }
          });
        })
        .catch(function () {
          // Offline for a moment: the text stays here, the next round tries again.
        })
        .then(function () {
          inFlight = null;
        });
      return inFlight;
    }

    form.addEventListener("input", function () {
      edits += 1;
    });
    form.addEventListener("change", function () {
      edits += 1;
    });
    form.addEventListener("submit", function (event) {
      if (inFlight) {
        // Wait for the autosave's new revision, or this save would be refused as stale.
        event.preventDefault();
        var submitter = event.submitter;
        inFlight.then(function () {
          form.requestSubmit(submitter);
        });
        return;
      }
      submitting = true;
    });
    window.addEventListener("beforeunload", function (event) {
      if (dirty() && !submitting) {
        event.preventDefault();
        event.returnValue = "";
      }
    });
    if (seconds > 0) {
      window.setInterval(save, seconds * 1000);
    }
  }

  function start() {
    errorSummary();
    var forms = document.querySelectorAll("form[data-autosave]");
    for (var i = 0; i < forms.length; i += 1) {
      autosave(forms[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

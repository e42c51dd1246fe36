// The review page, where JavaScript runs (it works without): the comments typed beside the
// answers are listed in the decision panel as they are typed; each change of the review
// checklist is saved in place (the panel alone comes back, as it does for htmx on the document
// page; the page carries no htmx), so nothing typed in the decision form is lost by a reload;
// and while the sealed PDF is being prepared its box asks the server every few seconds and
// shows the PDF when it is ready.
// No inline script (the CSP allows only our own files); text is set as text, never as HTML.
(function () {
  "use strict";

  function collect() {
    var list = document.getElementById("collected-list");
    var none = document.getElementById("collected-none");
    if (!list) return;
    var inputs = document.querySelectorAll('textarea.fc[form="decision"]');
    list.textContent = "";
    var count = 0;
    inputs.forEach(function (input) {
      var text = input.value.trim();
      if (!text) return;
      var answer = input.closest(".answer") || document.getElementById("document-title");
      var label = answer && answer.querySelector(".label");
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = "#" + (answer ? answer.id : "");
      link.textContent = label ? label.textContent : document.getElementById("document-title").textContent;
      item.appendChild(link);
      item.appendChild(document.createTextNode(": " + text));
      list.appendChild(item);
      count += 1;
    });
    if (none) none.hidden = count > 0;
  }

  function poll(box) {
    var url = box.getAttribute("data-poll");
    if (!url) return;
    window.setTimeout(function () {
      fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
        .then(function (response) { return response.ok ? response.text() : Promise.reject(); })
        .then(function (html) {
          var parsed = new DOMParser().parseFromString(html, "text/html");
          var fresh = parsed.getElementById("seal-status");
          if (!fresh) return;
          box.replaceWith(fresh);
          poll(fresh);
        })
        .catch(function () { poll(box); });
    }, 2500);
  }

  var saving = Promise.resolve();

  function saveChecklist(form) {
    var body = new FormData(form);
    // One save at a time, in order: the last change is the one that stays.
    saving = saving.then(function () {
      return fetch(form.action, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "HX-Request": "true", Accept: "text/html" },
      })
        .then(function (response) { return response.text(); })
        .then(function (html) {
          var parsed = new DOMParser().parseFromString(html, "text/html");
          var fresh = parsed.getElementById("checklist");
          var current = document.getElementById("checklist");
          if (!fresh || !current) return;
          var focused = document.activeElement && document.activeElement.id;
          current.replaceWith(document.adoptNode(fresh));
          // Keep the keyboard where it was: the same control in the new panel.
          var again = focused && document.getElementById(focused);
          if (again && fresh.contains(again)) again.focus();
        })
        .catch(function () { form.submit(); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.addEventListener("change", function (event) {
      var form = event.target.form;
      if (form && form.id === "checklist-form") saveChecklist(form);
    });
    document.addEventListener("submit", function (event) {
      if (event.target.id !== "checklist-form") return;
      event.preventDefault();
      saveChecklist(event.target);
    });
    document.addEventListener("input", function (event) {
      if (event.target.matches && event.target.matches("textarea.fc")) collect();
    });
    var box = document.getElementById("seal-status");
    if (box) poll(box);
  });
})();

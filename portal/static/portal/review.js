// The review page, where JavaScript runs (it works without): the comments typed beside the
// answers are listed in the decision panel as they are typed, and while the sealed PDF is being
// prepared its box asks the server every few seconds and shows the PDF when it is ready.
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

  document.addEventListener("DOMContentLoaded", function () {
    document.addEventListener("input", function (event) {
      if (event.target.matches && event.target.matches("textarea.fc")) collect();
    });
    var box = document.getElementById("seal-status");
    if (box) poll(box);
  });
})();

// htmx swaps the parts the views answer on purpose: 2xx, and 400/409 (a refused filter or form,
// with its message). Any other refusal (403: a form kept open past its CSRF token; 404: gone
// meanwhile; 5xx) is not swapped, lest an error page land inside a list: the page reloads
// instead, and the person sees it as it now is. No inline script: the CSP allows only our files.
document.addEventListener("htmx:responseError", function (event) {
  var status = event.detail.xhr.status;
  if (status !== 400 && status !== 409) {
    window.location.reload();
  }
});

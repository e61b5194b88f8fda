// The error summary of a form sent back (templates/includes/form_error_summary.html) takes the focus,
// so that a screen reader reads it and the keyboard starts from it; its links lead to each field.
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }
})();

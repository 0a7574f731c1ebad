/* Routine builder: after htmx swaps the steps region, put keyboard focus where the change
   happened (the server names it in data-focus), so a keyboard or screen-reader user is not
   thrown back to the top of the page. */
(function () {
  "use strict";
  document.body.addEventListener("htmx:afterSettle", function () {
    var region = document.getElementById("steps");
    if (!region || !region.dataset.focus) return;
    var target = document.getElementById(region.dataset.focus);
    if (target) target.focus();
  });
})();

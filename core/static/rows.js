// Repeating rows of the request forms (dependents, previous aid…): the "add a row" button copies
// the group's <template> row in place instead of submitting the form. Without JavaScript the
// button submits the form, which comes back with one more row (core/requests/forms.py).
(function () {
  "use strict";

  var PLACEHOLDER = /__row__/g;

  function nextIndex(list) {
    var next = 0;
    list.querySelectorAll("[data-row]").forEach(function (row) {
      var index = parseInt(row.getAttribute("data-row"), 10);
      if (!isNaN(index) && index >= next) {
        next = index + 1;
      }
    });
    return next;
  }

  function addRow(group) {
    var list = group.querySelector("[data-row-list]");
    var template = group.querySelector("template[data-row-template]");
    if (!list || !template) {
      return false;
    }
    var index = String(nextIndex(list));
    var copy = template.content.cloneNode(true);
    copy.querySelectorAll("[data-row], [id], [name], [for], [aria-describedby]").forEach(function (el) {
      ["data-row", "id", "name", "for", "aria-describedby"].forEach(function (attr) {
        if (el.hasAttribute(attr)) {
          el.setAttribute(attr, el.getAttribute(attr).replace(PLACEHOLDER, index));
        }
      });
    });
    var first = copy.querySelector("input:not([type=checkbox]), select");
    list.appendChild(copy);
    if (first) {
      first.focus();
    }
    return true;
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-add-row]");
    if (!button) {
      return;
    }
    var group = button.closest("[data-rows]");
    if (group && addRow(group)) {
      event.preventDefault();
    }
  });
})();

/*
 * Admin: accessible names for widgets that other scripts build without them
 * build without them (found by axe-core, tests/browser/test_axe.py).
 *
 * - Tabular inlines: Django puts each field's label in the column header only;
 *   each control, the "Delete?" box too, is labelled by its column header.
 * - Date-and-time fields: the words "Date:" and "Time:" label their inputs.
 * - Two-list selectors: the filter icon that names the filter box gets role="img",
 *   so its aria-label is allowed.
 * - Autocomplete (Django's select2): the combobox is labelled by the field's
 *   own <label> as well as by the selected value, which is empty at first.
 * - Yes/no icons: Django names them "True", "False" and "None" in English; they
 *   get the words of the script element's data attributes (the admin's language).
 *
 * Loaded with `defer` by templates/admin/base_site.html. Runs after the other
 * scripts' ready handlers, again when a form row is added, and each step can
 * run twice without harm.
 */
"use strict";
{
  const script = document.currentScript;
  const booleanNames = script
    ? { True: script.dataset.yes, False: script.dataset.no, None: script.dataset.unknown }
    : {};

  function ensureId(element, id) {
    if (!element.id) {
      element.id = id;
    }
    return element.id;
  }

  // A date-and-time field: its words "Date:" and "Time:" become the labels of
  // their inputs (the field's own name is the legend of its fieldset).
  function labelDateTimeParts() {
    for (const input of document.querySelectorAll("p.datetime input")) {
      const words = input.previousSibling;
      if (input.labels.length || !words || words.nodeType !== Node.TEXT_NODE) {
        continue;
      }
      if (words.textContent.trim()) {
        const label = document.createElement("label");
        label.htmlFor = input.id;
        label.textContent = words.textContent.trim();
        words.replaceWith(label, " ");
      }
    }
  }

  // The "Delete?" column has a header without a column class.
  function labelDeleteBoxes() {
    for (const box of document.querySelectorAll(".tabular td.delete input[type=checkbox]")) {
      if (box.labels.length || box.hasAttribute("aria-labelledby")) {
        continue;
      }
      const header = box.closest("table").querySelector("thead th:last-child");
      if (header && header.textContent.trim()) {
        box.setAttribute("aria-labelledby", ensureId(header, "delete-column-header"));
      }
    }
  }

  // The filter boxes of two-list selectors: the icon inside the label carries
  // the label's words in aria-label, which a plain <span> may not have.
  function nameFilterIcons() {
    for (const icon of document.querySelectorAll("span.search-label-icon[aria-label]")) {
      icon.setAttribute("role", "img");
    }
  }

  function labelTabularInlines() {
    const controls = document.querySelectorAll(
      ".tabular td[class*='field-'] :is(input, select, textarea):not([type=hidden])"
    );
    for (const control of controls) {
      if (control.labels.length || control.hasAttribute("aria-labelledby")) {
        continue;
      }
      const cell = control.closest("td");
      const fieldClass = [...cell.classList].find((name) => name.startsWith("field-"));
      const header = cell
        .closest("table")
        .querySelector(`thead th.column-${fieldClass.slice("field-".length)}`);
      if (header) {
        control.setAttribute("aria-labelledby", ensureId(header, `${fieldClass}-header`));
      }
    }
  }

  function labelAutocompletes() {
    for (const select of document.querySelectorAll("select.admin-autocomplete")) {
      const label = select.labels[0];
      const container = select.nextElementSibling;
      if (!label || !container || !container.classList.contains("select2")) {
        continue;
      }
      const labelId = ensureId(label, `${select.id}-label`);
      const selection = container.querySelector(".select2-selection[role=combobox]");
      const rendered = container.querySelector(".select2-selection__rendered");
      if (selection && rendered) {
        selection.setAttribute("aria-labelledby", `${labelId} ${rendered.id}`);
        rendered.setAttribute("aria-labelledby", labelId);
      }
    }
  }

  function nameBooleanIcons() {
    for (const icon of document.querySelectorAll("img[src*='/admin/img/icon-'][alt]")) {
      const name = booleanNames[icon.getAttribute("alt")];
      if (name) {
        icon.setAttribute("alt", name);
      }
    }
  }

  function improve() {
    labelTabularInlines();
    labelDeleteBoxes();
    labelDateTimeParts();
    nameFilterIcons();
    labelAutocompletes();
    nameBooleanIcons();
  }

  // select2 is built in jQuery ready handlers (two copies of jQuery may be
  // loaded); handlers added now run after theirs.
  for (const jQuery of new Set([window.jQuery, window.django && window.django.jQuery])) {
    if (jQuery) {
      jQuery(improve);
    }
  }
  window.addEventListener("load", improve);
  document.addEventListener("formset:added", () => window.setTimeout(improve, 0));
}

/*
 * Admin: accessible names and clean tab markup for widgets that other scripts
 * build without them (found by axe-core, tests/browser/test_axe.py).
 *
 * - Tabular inlines: Django puts each field's label in the column header only;
 *   each control, the "Delete?" box too, is labelled by its column header.
 * - Date-and-time fields: the words "Date:" and "Time:" label their inputs.
 * - Two-list selectors: the filter icon that names the filter box gets role="img",
 *   so its aria-label is allowed.
 * - Autocomplete (Django's select2): the combobox is labelled by the field's
 *   own <label> as well as by the selected value, which is empty at first.
 * - Language tabs (django-modeltranslation on jQuery UI): the tab (<li
 *   role="tab">, which takes focus and the arrow keys) holds a link that could
 *   take focus too; the link loses its href, so the tab is the only control
 *   (jQuery UI is told that a tab without an href is on the page).
 *   The "all languages" switch gets a name.
 *
 * Loaded with `defer` by templates/admin/base_site.html; the names come from
 * the script element's data attributes, which the template translates. Runs
 * after the other scripts' ready handlers, again when a form row is added, and
 * each step can run twice without harm.
 */
"use strict";
{
  const script = document.currentScript;
  const languageLabel = script ? script.dataset.languageLabel : "";

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

  // jQuery UI decides from the link's href whether a tab's panel is on the
  // page or must be fetched; a link without one is on the page.
  function tabsWithoutHrefs() {
    const jQuery = [window.jQuery, window.django && window.django.jQuery].find(
      (candidate) => candidate && candidate.ui && candidate.ui.tabs
    );
    if (!jQuery) {
      return false;
    }
    const tabs = jQuery.ui.tabs.prototype;
    if (!tabs.portalLocalWithoutHref) {
      const isLocal = tabs._isLocal;
      tabs._isLocal = function (anchor) {
        return !anchor.hasAttribute("href") || isLocal.call(this, anchor);
      };
      tabs.portalLocalWithoutHref = true;
    }
    return true;
  }

  function cleanLanguageTabs() {
    const anchors = document.querySelectorAll("[role=tab] > a.ui-tabs-anchor[href]");
    if (anchors.length && tabsWithoutHrefs()) {
      for (const anchor of anchors) {
        anchor.removeAttribute("href");
        anchor.removeAttribute("tabindex");
        anchor.style.cursor = "pointer";
      }
    }
    const mainSwitch = document.getElementById("modeltranslation-main-switch");
    if (mainSwitch && languageLabel && !mainSwitch.hasAttribute("aria-label")) {
      mainSwitch.setAttribute("aria-label", languageLabel);
    }
  }

  function improve() {
    labelTabularInlines();
    labelDeleteBoxes();
    labelDateTimeParts();
    nameFilterIcons();
    labelAutocompletes();
    cleanLanguageTabs();
  }

  // The tabs and select2 are built in jQuery ready handlers (two copies of
  // jQuery may be loaded); handlers added now run after theirs.
  for (const jQuery of new Set([window.jQuery, window.django && window.django.jQuery])) {
    if (jQuery) {
      jQuery(improve);
    }
  }
  window.addEventListener("load", improve);
  document.addEventListener("formset:added", () => window.setTimeout(improve, 0));
}

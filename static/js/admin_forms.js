/*
 * Admin forms: one language switch for every translated field, and a preview
 * of markdown fields (core/admin_forms.py says what the server does).
 *
 * - The form lists each translated field once per language (django-
 *   modeltranslation marks each control "mt mt-field-<field>-<language>").
 *   Without this script every language shows. With it, a switch above the
 *   form shows one language at a time, in the main form and in tabular
 *   inlines alike; each language button says when that language is still
 *   empty, incomplete or has errors, and a form that comes back with an error
 *   in a language not shown switches to that language. The choice is kept
 *   for the browser tab (sessionStorage).
 * - A textarea marked data-markdown gets a "Preview" box below it; opened, it
 *   shows the text as the public page renders it, from the admin's preview
 *   endpoint (the same sanitiser), and follows the typing.
 *
 * Loaded with `defer` by templates/admin/base_site.html, whose data attributes
 * give the words in the admin's language. No inline script or style: the site's
 * Content-Security-Policy allows neither.
 */
"use strict";
{
  const script = document.currentScript;
  const words = script ? script.dataset : {};
  const STORAGE_KEY = "portal-admin-language";
  const FIELD_CLASS = /^mt-field-(.+)-([a-z]{2,3}(?:_[a-z]+)?)$/;
  const PREVIEW_DELAY_MS = 500;

  function languageNames() {
    const names = new Map();
    for (const pair of (words.languages || "").split(";")) {
      const [code, name] = pair.split("=");
      if (code) {
        names.set(code, name || code);
      }
    }
    return names;
  }

  // Each translated control with its language, the group it belongs to (the
  // same field of the same form in every language) and what to hide.
  function translatedControls(form) {
    const controls = [];
    for (const element of form.querySelectorAll(".mt")) {
      if (!element.matches("input, textarea, select")) {
        continue;
      }
      const match = [...element.classList].map((name) => FIELD_CLASS.exec(name)).find(Boolean);
      if (!match) {
        continue;
      }
      const language = match[2];
      const cell = element.closest(".tabular td");
      const parts = [];
      if (cell) {
        parts.push(cell);
        const fieldName = element.name.split("-").pop();
        const header = cell.closest("table").querySelector(`thead th.column-${fieldName}`);
        if (header) {
          parts.push(header);
        }
      } else if (element.closest(".form-row")) {
        parts.push(element.closest(".form-row"));
      }
      controls.push({
        element,
        language,
        // The hidden row that "add another" copies: it hides its columns like the
        // others (a table without rows still has its headers), nothing more.
        template: Boolean(element.closest(".empty-form")),
        group: element.name.slice(0, -(language.length + 1)),
        parts,
        hasError: Boolean(
          (cell && cell.querySelector(".errorlist")) ||
            (!cell && element.closest(".form-row.errors"))
        ),
      });
    }
    return controls;
  }

  function isEmpty(element) {
    return !element.value.trim();
  }

  function markers(allControls, languages) {
    const controls = allControls.filter((control) => !control.template);
    const groups = new Map();
    for (const control of controls) {
      if (!groups.has(control.group)) {
        groups.set(control.group, new Map());
      }
      groups.get(control.group).set(control.language, control.element);
    }
    const result = new Map();
    for (const language of languages) {
      const mine = controls.filter((control) => control.language === language);
      let marker = "";
      if (mine.some((control) => control.hasError)) {
        marker = words.markerErrors;
      } else if (mine.length && mine.every((control) => isEmpty(control.element))) {
        marker = words.markerEmpty;
      } else {
        for (const byLanguage of groups.values()) {
          const own = byLanguage.get(language);
          const othersHaveText = [...byLanguage.entries()].some(
            ([other, element]) => other !== language && !isEmpty(element)
          );
          if (own && isEmpty(own) && othersHaveText) {
            marker = words.markerIncomplete;
            break;
          }
        }
      }
      result.set(language, marker);
    }
    return result;
  }

  function setUpLanguageSwitch(form) {
    let controls = translatedControls(form);
    if (!controls.length) {
      return;
    }
    const names = languageNames();
    const present = new Set(controls.map((control) => control.language));
    const languages = [...names.keys()].filter((code) => present.has(code));
    for (const code of present) {
      if (!languages.includes(code)) {
        languages.push(code);
      }
    }

    const box = document.createElement("div");
    box.className = "language-switch";
    box.setAttribute("role", "group");
    const label = document.createElement("span");
    label.className = "language-switch__label";
    label.id = "language-switch-label";
    label.textContent = words.switchLabel || "";
    box.setAttribute("aria-labelledby", label.id);
    box.append(label);
    const buttons = new Map();
    for (const language of languages) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "language-switch__button";
      button.dataset.language = language;
      const name = document.createElement("span");
      name.textContent = names.get(language) || language;
      const marker = document.createElement("span");
      marker.className = "language-switch__marker";
      button.append(name, marker);
      box.append(button);
      buttons.set(language, button);
    }
    const help = document.createElement("p");
    help.className = "language-switch__help";
    help.textContent = words.switchHelp || "";
    box.append(help);
    const first = form.querySelector("fieldset");
    (first ? first.parentNode : form).insertBefore(box, first);

    let active = null;

    function refreshMarkers() {
      for (const [language, marker] of markers(controls, languages)) {
        const button = buttons.get(language);
        button.querySelector(".language-switch__marker").textContent = marker;
        button.classList.toggle("language-switch__button--errors", marker === words.markerErrors);
        button.classList.toggle("language-switch__button--missing", Boolean(marker) && marker !== words.markerErrors);
      }
    }

    function show(language) {
      active = language;
      for (const control of controls) {
        for (const part of control.parts) {
          part.hidden = control.language !== language;
        }
      }
      for (const [code, button] of buttons) {
        button.setAttribute("aria-pressed", String(code === language));
      }
    }

    for (const [language, button] of buttons) {
      button.addEventListener("click", () => {
        show(language);
        try {
          window.sessionStorage.setItem(STORAGE_KEY, language);
        } catch {
          // Storage may be off; the switch still works for this page.
        }
      });
    }

    let stored = null;
    try {
      stored = window.sessionStorage.getItem(STORAGE_KEY);
    } catch {
      stored = null;
    }
    const pageLanguage = (document.documentElement.lang || "").split("-")[0];
    let initial = [stored, pageLanguage, languages[0]].find((code) => languages.includes(code));
    const withErrors = languages.filter((language) =>
      controls.some((control) => control.language === language && control.hasError)
    );
    if (!controls.some((control) => !control.template)) {
      box.hidden = true; // only an empty table's template row: nothing to switch yet
    }
    if (withErrors.length && !withErrors.includes(initial)) {
      initial = withErrors[0];
    }
    show(initial);
    refreshMarkers();

    form.addEventListener("input", (event) => {
      if (event.target.classList && event.target.classList.contains("mt")) {
        refreshMarkers();
      }
    });
    document.addEventListener("formset:added", () => {
      controls = translatedControls(form);
      box.hidden = false;
      show(active);
      refreshMarkers();
    });
    document.addEventListener("formset:removed", () => {
      controls = translatedControls(form);
      refreshMarkers();
    });
  }

  function setUpPreview(textarea, form) {
    const token = form.querySelector("input[name=csrfmiddlewaretoken]");
    if (!words.previewUrl || !token) {
      return;
    }
    const details = document.createElement("details");
    details.className = "markdown-preview";
    const summary = document.createElement("summary");
    summary.textContent = words.previewLabel || "";
    const output = document.createElement("div");
    output.className = "markdown-preview__output";
    details.append(summary, output);
    const row = textarea.closest(".form-row > div") || textarea.parentNode;
    row.append(details);

    let timer = null;
    let shown = null;

    async function render() {
      const text = textarea.value;
      if (text === shown) {
        return;
      }
      shown = text;
      if (!text.trim()) {
        output.textContent = words.previewEmpty || "";
        return;
      }
      const body = new FormData();
      body.append("text", text);
      try {
        const response = await fetch(words.previewUrl, {
          method: "POST",
          body,
          headers: { "X-CSRFToken": token.value },
          credentials: "same-origin",
        });
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        // Sanitised on the server by the renderer of the public pages.
        output.innerHTML = await response.text();
      } catch {
        shown = null;
        output.textContent = words.previewFailed || "";
      }
    }

    details.addEventListener("toggle", () => {
      if (details.open) {
        render();
      }
    });
    textarea.addEventListener("input", () => {
      if (!details.open) {
        return;
      }
      window.clearTimeout(timer);
      timer = window.setTimeout(render, PREVIEW_DELAY_MS);
    });
  }

  function setUp() {
    const form = document.querySelector("#content-main form");
    if (!form || !document.body.classList.contains("change-form")) {
      return;
    }
    for (const textarea of form.querySelectorAll("textarea[data-markdown]")) {
      setUpPreview(textarea, form);
    }
    setUpLanguageSwitch(form);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
}

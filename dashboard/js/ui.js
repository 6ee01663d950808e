// DOM helpers: elements built with textContent (never innerHTML: nothing the API says becomes markup),
// forms whose every control has a visible label, and errors shown next to what caused them.

let ids = 0;

export function h(tag, attrs = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else if (name === "dataset") Object.assign(element.dataset, value);
    else element.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

export function uid(prefix) {
  ids += 1;
  return `${prefix}-${ids}`;
}

// One labelled control and the place for its error. `name` is the API's field name.
export function field(label, name, { type = "text", required = true, autocomplete, value, hint, ...rest } = {}) {
  const id = uid(name);
  const error = h("p", { class: "field-error", id: `${id}-error`, hidden: true });
  const described = [hint ? `${id}-hint` : null, `${id}-error`].filter(Boolean).join(" ");
  const input = h("input", { id, name, type, required, autocomplete, value, "aria-describedby": described, ...rest });
  return h("div", { class: "field" }, h("label", { for: id }, label),
    hint ? h("p", { class: "hint", id: `${id}-hint` }, hint) : null, input, error);
}

export function message(kind, text) {
  return h("p", { class: kind, role: kind === "error" ? "alert" : "status" }, text);
}

// The API's message by the field it names (details[].field), else by the form's button.
export function showError(form, error) {
  clearErrors(form);
  let placed = false;
  for (const problem of error.details || []) {
    const input = problem.field && form.querySelector(`[name="${CSS.escape(problem.field)}"]`);
    if (!input) continue;
    const slot = document.getElementById(`${input.id}-error`);
    slot.textContent = problem.message;
    slot.hidden = false;
    input.setAttribute("aria-invalid", "true");
    placed = true;
  }
  const general = form.querySelector(".form-error");
  general.textContent = placed ? `${error.message}: see the fields above.` : error.message;
  general.hidden = false;
}

export function clearErrors(form) {
  for (const slot of form.querySelectorAll(".field-error, .form-error")) {
    slot.textContent = "";
    slot.hidden = true;
  }
  for (const input of form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
}

// A form: its controls, a submit button and, right by it, the error the API answered.
export function form({ label, controls, submit, onSubmit, danger = false }) {
  const button = h("button", { type: "submit", class: danger ? "danger" : null }, submit);
  const element = h("form", { "aria-label": label, novalidate: true },
    controls, h("div", { class: "actions" }, button), h("p", { class: "form-error", role: "alert", hidden: true }));
  element.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearErrors(element);
    const values = Object.fromEntries(new FormData(element).entries());
    button.disabled = true;
    try {
      await onSubmit(values, element);
    } catch (error) {
      if (!(error instanceof Error && "code" in error)) throw error;
      showError(element, error);
    } finally {
      button.disabled = false;
    }
  });
  return element;
}

// What a page shows when the API does not serve the route it needs (yet).
export function unavailable(what, route) {
  return h("div", { class: "notice", role: "status" },
    h("p", {}, `${what} is not available on this API yet: it needs `, h("code", {}, route), ", which this deployment does not serve."));
}

export function when(iso) {
  if (!iso) return "never";
  return new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

export async function copy(text, button) {
  await navigator.clipboard.writeText(text);
  const before = button.textContent;
  button.textContent = "Copied";
  setTimeout(() => { button.textContent = before; }, 2000);
}

export function table(caption, headings, rows) {
  return h("table", {}, h("caption", {}, caption),
    h("thead", {}, h("tr", {}, headings.map((text) => h("th", { scope: "col" }, text)))),
    h("tbody", {}, rows));
}

// A confirmation in place of the button that asked for it (no native dialog): keyboard-friendly.
export function confirmButton(label, question, confirmLabel, action) {
  const holder = h("span", { class: "confirm" });
  const error = h("span", { class: "form-error", role: "alert", hidden: true });
  const ask = h("button", { type: "button", class: "secondary", onclick: () => render(true) }, label);
  function render(asking) {
    holder.replaceChildren(...(asking
      ? [h("span", {}, question, " "),
        h("button", { type: "button", class: "danger", onclick: run }, confirmLabel),
        h("button", { type: "button", class: "secondary", onclick: () => render(false) }, "Cancel"), error]
      : [ask, error]));
    (asking ? holder.querySelector(".danger") : ask).focus();
  }
  async function run(event) {
    event.target.disabled = true;
    try {
      await action();
    } catch (failure) {
      error.textContent = failure.message;
      error.hidden = false;
      event.target.disabled = false;
    }
  }
  holder.append(ask, error);
  return holder;
}

// What a list shows when it has nothing: what it is, and what to do about it.
export function empty(what, todo) {
  return h("div", { class: "empty", role: "status" }, h("strong", {}, what), todo);
}

// A destructive form behind a button: the button opens it (with a Cancel), so it is never one stray
// click or Enter away. `build()` returns the form.
export function behindButton(label, build) {
  const holder = h("div", { class: "behind" });
  const open = h("button", { type: "button", class: "danger-outline", "aria-expanded": "false", onclick: () => show(true) }, label);
  function show(opened) {
    if (!opened) {
      holder.replaceChildren(open);
      open.focus();
      return;
    }
    const built = build();
    const actions = built.querySelector(".actions");
    actions.append(h("button", { type: "button", class: "secondary", onclick: () => show(false) }, "Cancel"));
    holder.replaceChildren(built);
    built.querySelector("input, button").focus();
  }
  holder.append(open);
  return holder;
}

// "Chrome on macOS" from a User-Agent: the browser and the system in words, or null when it is neither
// (an API client's own string, shown as it is). Order matters: Edge and Opera also say Chrome, Chrome
// also says Safari, iPhones also say Mac OS X.
const BROWSERS = [[/Edg(e|A|iOS)?\//, "Edge"], [/OPR\/|Opera/, "Opera"], [/SamsungBrowser\//, "Samsung Internet"],
  [/Firefox\/|FxiOS\//, "Firefox"], [/HeadlessChrome\//, "Chrome"], [/Chrome\/|CriOS\//, "Chrome"],
  [/Version\/[\d.]+.*Safari\//, "Safari"]];
const SYSTEMS = [[/iPhone|iPad|iPod/, "iOS"], [/Android/, "Android"], [/Windows/, "Windows"], [/CrOS/, "ChromeOS"],
  [/Mac OS X|Macintosh/, "macOS"], [/Linux/, "Linux"]];

export function device(userAgent) {
  const ua = userAgent || "";
  const browser = (BROWSERS.find(([pattern]) => pattern.test(ua)) || [])[1];
  const system = (SYSTEMS.find(([pattern]) => pattern.test(ua)) || [])[1];
  if (browser && system) return `${browser} on ${system}`;
  if (browser) return browser;
  if (system) return `A browser on ${system}`;
  return null;
}

// The dashboard: routing, the signed-in user, the header, and the password prompt for step-up.

import * as api from "./api.js";
import { pages, PUBLIC_PAGES, REDIRECTS } from "./pages.js";
import * as passkeys from "./passkeys.js";
import { h, field, form } from "./ui.js";

const main = document.getElementById("main");
const nav = document.getElementById("nav");

export const state = { user: null, flash: null };

const SIGNED_IN_LINKS = [["/", "Overview"], ["/settings", "Settings"], ["/organization", "Organization"],
  ["/activity", "Activity"]];

export function navigate(path, flash = null) {
  state.flash = flash;
  history.pushState(null, "", path);
  render();
}

export async function loadUser() {
  state.user = await api.call("GET", "/v1/auth/me");
  return state.user;
}

export async function signedIn(path = "/") {
  await loadUser();
  navigate(path);
}

export async function signOut(everywhere = false, flash = "You are signed out.") {
  try {
    await api.logout(everywhere);
  } finally {
    state.user = null;
    navigate("/sign-in", flash);
  }
}

function header() {
  const here = location.pathname;
  const links = state.user
    ? SIGNED_IN_LINKS
    : [["/sign-in", "Sign in"], ["/sign-up", "Sign up"]];
  // A section's link is current on its own pages too (Settings on /settings/security).
  const current = (path) => path === here || (path !== "/" && here.startsWith(`${path}/`));
  const list = h("ul", {}, links.map(([path, text]) => h("li", {},
    h("a", { href: path, "aria-current": current(path) ? "page" : null }, text))));
  const who = state.user && h("div", { class: "who" },
    h("span", { class: "avatar", "aria-hidden": "true" }, (state.user.name || state.user.email).charAt(0).toUpperCase()),
    h("span", {}, state.user.email),
    h("button", { type: "button", class: "secondary", onclick: () => signOut() }, "Sign out"));
  nav.replaceChildren(...(who ? [list, who] : [list]));
}

async function render() {
  const path = location.pathname.replace(/\/+$/, "") || "/";
  if (REDIRECTS[path]) {
    history.replaceState(null, "", REDIRECTS[path] + location.search);
    return render();
  }
  const page = pages[path] || pages["/not-found"];
  if (!state.user && !PUBLIC_PAGES.has(path)) {
    history.replaceState(null, "", "/sign-in");
    return render();
  }
  header();
  const flash = state.flash;
  state.flash = null;
  const content = h("div", { class: PUBLIC_PAGES.has(path) ? "page public" : "page" });
  main.replaceChildren(content);
  await page(content, { flash });
  const heading = main.querySelector("h1");
  if (heading) {
    document.title = `${heading.textContent} · Latchkey`;
    heading.setAttribute("tabindex", "-1");
    heading.focus();
  }
}

// Step-up: the API answered REAUTHENTICATION_REQUIRED; the password again (and a code with two-factor).
function askPassword() {
  return new Promise((resolve) => {
    const dialog = h("dialog", { "aria-labelledby": "reauth-title" });
    const close = (ok) => { dialog.close(); dialog.remove(); resolve(ok); };
    const controls = [
      h("p", {}, "This action needs a recent sign-in. Enter your password to go on."),
      field("Password", "password", { type: "password", autocomplete: "current-password" }),
      state.user && state.user.twoFactorEnabled
        ? field("Two-factor code or recovery code", "code", { autocomplete: "one-time-code", inputmode: "text" })
        : null,
    ];
    const confirm = form({
      label: "Confirm your password", controls, submit: "Confirm",
      onSubmit: async (values) => {
        await api.reauthenticate(values.password, values.code);
        close(true);
      },
    });
    const usePasskey = passkeys.supported() && h("button", { type: "button", class: "secondary", onclick: async () => {
      try {
        await api.reauthenticateWithPasskey(await passkeys.assertion());
        close(true);
      } catch (failure) {
        const slot = confirm.querySelector(".form-error");
        slot.textContent = failure.code ? failure.message : "The passkey was not used: try again.";
        slot.hidden = false;
      }
    } }, "Use a passkey");
    confirm.querySelector(".actions").append(usePasskey || "",
      h("button", { type: "button", class: "secondary", onclick: () => close(false) }, "Cancel"));
    dialog.append(h("h2", { id: "reauth-title" }, "Confirm it's you"), confirm);
    dialog.addEventListener("cancel", (event) => { event.preventDefault(); close(false); });
    document.body.append(dialog);
    dialog.showModal();
  });
}

document.addEventListener("click", (event) => {
  const link = event.target.closest("a[href^='/']");
  if (!link || link.target || link.hasAttribute("download") || event.ctrlKey || event.metaKey || event.shiftKey) return;
  event.preventDefault();
  navigate(link.getAttribute("href"));
});
window.addEventListener("popstate", render);
api.onReauthenticationRequired(askPassword);

// A reload restores the session from the cookie: one refresh, then who is signed in.
async function start() {
  try {
    await api.refresh();
    await loadUser();
  } catch {
    state.user = null;
  }
  await render();
}

start();

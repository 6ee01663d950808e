// Federation: "Sign in with <provider>" buttons (the providers the API has on), the refusals the
// provider's callback sends back (?error=<code>), the second factor it may ask for, and the identities
// a user links and unlinks in settings. The redirect dance is the browser's own: full page loads.

import * as api from "./api.js";
import { confirmButton, h, message, table, when } from "./ui.js";

const REFUSALS = {
  ACCOUNT_EXISTS_UNLINKED: "An account already uses this address. Sign in to it another way, then link this provider "
    + "under Settings, Security.",
  INVALID_OAUTH_STATE: "That sign-in expired or was started in another browser. Try again.",
  FEDERATION_FAILED: "The provider's sign-in could not be verified. Try again.",
  IDENTITY_LINKED_ELSEWHERE: "That provider account already signs in to another account.",
  SERVICE_UNAVAILABLE: "The sign-in provider is not answering. Try again in a moment.",
  RATE_LIMITED: "Too many attempts. Wait a minute and try again.",
  USER_NOT_FOUND: "That account no longer exists.",
};

export async function providers() {
  try {
    return (await api.call("GET", "/v1/auth/providers", undefined, { bearer: false })).providers;
  } catch {
    return []; // no buttons rather than a broken page
  }
}

// The buttons, each a full navigation to the API's start route (it redirects to the provider).
export async function signInButtons(returnTo = "/") {
  const found = await providers();
  if (!found.length) return null;
  return h("div", { class: "actions federation" }, found.map((provider) => h("button", {
    type: "button", class: "secondary",
    onclick: () => location.assign(`/v1/auth/oauth/${encodeURIComponent(provider.id)}/start?returnTo=${encodeURIComponent(returnTo)}`),
  }, `Sign in with ${provider.name}`)));
}

// The refusal the callback sent the browser back with, read once and taken out of the address bar.
export function refusal() {
  const code = new URLSearchParams(location.search).get("error");
  if (!code) return null;
  history.replaceState(null, "", location.pathname);
  return message("error", REFUSALS[code] || "The sign-in did not go through. Try again.");
}

// /sign-in/second-factor#pendingToken=…&methods=…: what the callback sends when two-factor is on. The
// token is in the fragment (never sent to a server), read once and taken out of the address bar.
export function pendingSecondFactor() {
  const found = new URLSearchParams(location.hash.slice(1));
  history.replaceState(null, "", location.pathname);
  const pendingToken = found.get("pendingToken");
  return pendingToken ? { requires2FA: true, pendingToken, methods: (found.get("methods") || "").split(",") } : null;
}

export async function showIdentities(holder) {
  let listed;
  try {
    listed = (await api.call("GET", "/v1/auth/identities")).identities;
  } catch (failure) {
    holder.replaceChildren(message("error", failure.message));
    return;
  }
  const names = Object.fromEntries((await providers()).map((p) => [p.id, p.name]));
  const rows = listed.map((identity) => h("tr", {},
    h("td", {}, names[identity.provider] || identity.provider), h("td", {}, identity.email),
    h("td", {}, when(identity.linkedAt)),
    h("td", {}, confirmButton("Unlink", `Unlink ${names[identity.provider] || identity.provider}?`, "Unlink", async () => {
      await api.call("DELETE", `/v1/auth/identities/${encodeURIComponent(identity.id)}`);
      await showIdentities(holder);
    }))));
  const links = Object.entries(names).map(([id, name]) => h("button", { type: "button", class: "secondary", onclick: async () => {
    const { url } = await api.call("POST", `/v1/auth/identities/${encodeURIComponent(id)}/link`);
    location.assign(url);
  } }, `Link ${name}`));
  const linked = new URLSearchParams(location.search).get("linked");
  holder.replaceChildren(
    ...(linked ? [message("success", `${names[linked] || linked} is linked: it signs you in.`)] : []),
    listed.length
      ? table("Your linked sign-in providers", ["Provider", "Address", "Linked", ""], rows)
      : h("p", {}, "No sign-in providers linked."),
    links.length ? h("div", { class: "actions" }, links) : "");
}

// Passkeys in the dashboard: the Passkeys section of Settings -> Security, "Sign in with a passkey" on
// the sign-in page, and a passkey as the second factor or the step-up. The browser parses the API's
// options (parseCreationOptionsFromJSON / parseRequestOptionsFromJSON) and the API gets toJSON() back.

import * as api from "./api.js";
import { confirmButton, field, form, h, message, table, when } from "./ui.js";

export function supported() {
  return typeof PublicKeyCredential !== "undefined" && typeof PublicKeyCredential.parseRequestOptionsFromJSON === "function";
}

// The browser's refusals of a ceremony, in words that name the next step (its own texts, such as
// "This is an invalid domain.", do not).
const REFUSALS = {
  NotAllowedError: "The passkey was not used: the request was cancelled or timed out. Try again.",
  SecurityError: "Passkeys work only at the dashboard's own address. Open the dashboard there and try again.",
  InvalidStateError: "This device already holds a passkey for this account.",
  AbortError: "The passkey request was cancelled. Try again.",
};

// Shown like the API's refusals: next to the control that started the ceremony.
class CeremonyRefused extends Error {
  constructor(failure) {
    super(REFUSALS[failure.name] || "The passkey could not be used on this device. Try again.");
    this.code = "PASSKEY_NOT_USED";
  }
}

async function ceremony(run) {
  try {
    return await run();
  } catch (failure) {
    throw failure instanceof DOMException ? new CeremonyRefused(failure) : failure;
  }
}

// A passkey assertion for the API's request options (sign-in, second factor or step-up).
export async function assertion(pendingToken) {
  const options = await api.passkeyOptions(pendingToken);
  const credential = await ceremony(() =>
    navigator.credentials.get({ publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options) }));
  return credential.toJSON();
}

export function signInButton(done) {
  if (!supported()) return null;
  const error = h("p", { class: "form-error", role: "alert", hidden: true });
  const button = h("button", { type: "button", class: "secondary", onclick: async () => {
    error.hidden = true;
    button.disabled = true;
    try {
      await api.passkeyLogin(await assertion());
      await done();
    } catch (failure) {
      error.textContent = failure.code ? failure.message : "The passkey was not used: try again.";
      error.hidden = false;
    } finally {
      button.disabled = false;
    }
  } }, "Sign in with a passkey");
  return h("div", { class: "actions passkey-sign-in" }, button, error);
}

export function secondFactorButton(pendingToken, done) {
  if (!supported()) return null;
  return form({
    label: "Use a passkey", submit: "Use a passkey instead", controls: [],
    onSubmit: async () => {
      await api.verifyWithPasskey(pendingToken, await assertion(pendingToken));
      await done();
    },
  });
}

export async function showPasskeys(holder) {
  let listed;
  try {
    listed = (await api.call("GET", "/v1/auth/passkeys")).passkeys;
  } catch (failure) {
    holder.replaceChildren(message("error", failure.message));
    return;
  }
  const add = form({
    label: "Add a passkey", submit: "Add a passkey",
    controls: [field("Name", "name", { required: false, autocomplete: "off", hint: "For example: Laptop, or Phone" })],
    onSubmit: async (values) => {
      const { options } = await api.call("POST", "/v1/auth/passkeys/register/options");
      const created = await ceremony(() =>
        navigator.credentials.create({ publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options) }));
      const body = values.name.trim() ? { credential: created.toJSON(), name: values.name.trim() } : { credential: created.toJSON() };
      const passkey = await api.call("POST", "/v1/auth/passkeys/register", body);
      await showPasskeys(holder);
      holder.prepend(message("success", `Passkey "${passkey.name}" added. You can sign in with it, no password needed.`));
    },
  });
  const rows = listed.map((passkey) => h("tr", {},
    h("td", {}, passkey.name), h("td", {}, when(passkey.createdAt)), h("td", {}, when(passkey.lastUsedAt)),
    h("td", {}, confirmButton("Remove", `Remove the passkey "${passkey.name}"?`, "Remove passkey", async () => {
      await api.call("DELETE", `/v1/auth/passkeys/${encodeURIComponent(passkey.id)}`);
      await showPasskeys(holder);
    }))));
  holder.replaceChildren(
    listed.length
      ? table("Your passkeys", ["Name", "Added", "Last used", ""], rows)
      : h("p", {}, "No passkeys yet. A passkey signs you in with your device's screen lock: no password, no code."),
    supported() ? add : h("p", {}, "This browser cannot create passkeys."));
}

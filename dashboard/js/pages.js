// Every page of the dashboard. Each renders into `root`; a route the API does not serve yet shows a notice.

import * as api from "./api.js";
import { loadUser, navigate, signedIn, signOut, state } from "./app.js";
import * as federation from "./federation.js";
import * as passkeys from "./passkeys.js";
import { behindButton, confirmButton, copy, device, empty, field, form, h, message, table, unavailable, when } from "./ui.js";

export const PUBLIC_PAGES = new Set(["/sign-in", "/sign-up", "/forgot-password", "/reset-password",
  "/verify-email", "/confirm-email", "/email-change", "/accept-invitation", "/sign-in/email-link",
  "/sign-in/email-code", "/magic-link", "/sign-in/second-factor", "/oauth/authorize", "/oauth/logout"]);

function title(root, text, flash) {
  root.append(h("h1", {}, text));
  if (flash) root.append(message("success", flash));
}

// A one-time token from an email link: read once, then taken out of the address bar and history.
function linkToken() {
  const token = new URLSearchParams(location.search).get("token");
  if (token) history.replaceState(null, "", location.pathname);
  return token;
}

function section(label, ...children) {
  return headed("h2", label, children);
}

// A section of a settings tab: one level below the tab's own heading.
function subsection(label, ...children) {
  return headed("h3", label, children);
}

function headed(level, label, children) {
  const id = label.toLowerCase().replace(/[^a-z]+/g, "-");
  return h("section", { "aria-labelledby": id }, h(level, { id }, label), ...children);
}

// Runs `load`; when the API lacks the route, the notice instead of `build`'s content.
async function guarded(holder, what, route, load, build) {
  try {
    holder.replaceChildren(...[].concat(build(await load())));
  } catch (error) {
    if (!(error instanceof api.ApiError)) throw error;
    holder.replaceChildren(error.missingRoute ? unavailable(what, route) : message("error", error.message));
  }
}

async function orMissing(promise, route) {
  try {
    return await promise;
  } catch (error) {
    if (error.missingRoute) {
      throw new api.ApiError(404, "NOT_FOUND", `This API does not serve ${route} yet.`);
    }
    throw error;
  }
}

// --- signing in --------------------------------------------------------------------------------

async function signIn(root, { flash }) {
  title(root, "Sign in", flash);
  const refused = federation.refusal();
  if (refused) root.append(refused);
  const forms = signInForms(() => signedIn());
  root.append(...forms,
    h("p", {}, "Or without a password: ", h("a", { href: "/sign-in/email-link" }, "Email me a link"),
      " · ", h("a", { href: "/sign-in/email-code" }, "Email me a code")),
    h("p", {}, h("a", { href: "/forgot-password" }, "Forgot your password?"),
      " · ", h("a", { href: "/sign-up" }, "Create an account")));
  const buttons = await federation.signInButtons("/");
  if (buttons) forms.at(-1).before(buttons);  // above the second factor's place
}

// A federated sign-in of an account with two-factor on: the callback's pending token, then the code.
function federatedSecondFactor(root) {
  title(root, "Sign in");
  const pending = federation.pendingSecondFactor();
  if (!pending) return root.append(message("error", "This page needs a sign-in with a provider first."));
  const first = h("div");
  const second = h("div");
  root.append(first, second);
  return afterFirstFactor(pending, first, second);
}

// The password form, the passkey button and the place of the second factor; `done` once signed in.
function signInForms(done) {
  const second = h("div");
  const first = form({
    label: "Sign in", submit: "Sign in",
    controls: [field("Email", "email", { type: "email", autocomplete: "username" }),
      field("Password", "password", { type: "password", autocomplete: "current-password" })],
    onSubmit: async (values) => afterFirstFactor(await api.login(values.email, values.password), first, second, done),
  });
  return [first, passkeys.signInButton(done), second];
}

// Signed in, or the two-factor step in `second` in place of `first`.
async function afterFirstFactor(answer, first, second, done = () => signedIn()) {
  if (!answer.requires2FA) return done();
  first.hidden = true;
  second.replaceChildren(twoFactorStep(answer.pendingToken, done),
    (answer.methods || []).includes("passkey") ? passkeys.secondFactorButton(answer.pendingToken, done) : null);
  second.querySelector("input").focus();
}

const SENT = "If an account has that address, it is on its way (otherwise the address gets a note that no account uses it).";

function askByEmail(route, done) {
  return form({
    label: "Your email", submit: route.endsWith("magic-link") ? "Email me a link" : "Email me a code",
    controls: [field("Email", "email", { type: "email", autocomplete: "username" })],
    onSubmit: async (values, element) => {
      await orMissing(api.call("POST", route, { email: values.email }, { bearer: false }), `POST ${route}`);
      done(values.email, element);
    },
  });
}

function emailLink(root) {
  title(root, "Sign in with a link");
  const sent = h("div");
  root.append(askByEmail("/v1/auth/magic-link", () => sent.replaceChildren(
    message("success", `A sign-in link: ${SENT} It works once, for 15 minutes.`))), sent,
  h("p", {}, h("a", { href: "/sign-in" }, "Sign in with a password")));
}

function emailCode(root) {
  title(root, "Sign in with a code");
  const second = h("div");
  const ask = askByEmail("/v1/auth/email-code", (email, element) => {
    const enter = form({
      label: "The code from the email", submit: "Sign in",
      controls: [message("success", `A sign-in code: ${SENT}`),
        field("Six-digit code", "code", { autocomplete: "one-time-code", inputmode: "numeric",
          hint: "It works once, for 10 minutes" })],
      onSubmit: async (values) => afterFirstFactor(await api.signInWithCode(email, values.code.trim()), enter, second),
    });
    element.replaceWith(enter, second);
    enter.querySelector("input").focus();
  });
  root.append(ask, h("p", {}, h("a", { href: "/sign-in" }, "Sign in with a password")));
}

function magicLink(root) {
  title(root, "Sign in");
  const token = linkToken();
  if (!token) return root.append(message("error", "This page needs the link from the sign-in email."));
  const second = h("div");
  const first = form({
    label: "Sign in with this link", submit: "Sign in", controls: [],
    onSubmit: async () => afterFirstFactor(await api.signInWithLink(token), first, second),
  });
  root.append(first, second);
}

function twoFactorStep(pendingToken, done = () => signedIn()) {
  return form({
    label: "Two-factor code", submit: "Verify",
    controls: [h("p", {}, "Two-factor sign-in is on for this account."),
      field("Code from your authenticator app, or a recovery code", "code",
        { autocomplete: "one-time-code", hint: "6 digits, or a recovery code like abcd-efgh-ijkl-mnop" })],
    onSubmit: async (values) => {
      await api.verifyTwoFactor(pendingToken, values.code.trim());
      await done();
    },
  });
}

function signUp(root) {
  title(root, "Create an account");
  root.append(form({
    label: "Create an account", submit: "Create account",
    controls: [field("Name", "name", { autocomplete: "name" }),
      field("Email", "email", { type: "email", autocomplete: "email" }),
      field("Password", "password", { type: "password", autocomplete: "new-password", hint: "8 to 128 characters" }),
      field("Organization name (optional)", "organizationName", { required: false, autocomplete: "organization" })],
    onSubmit: async (values) => {
      const body = { name: values.name, email: values.email, password: values.password };
      if (values.organizationName) body.organizationName = values.organizationName;
      await api.register(body);
      await signedIn();
    },
  }), h("p", {}, "Already have an account? ", h("a", { href: "/sign-in" }, "Sign in")));
}

function forgotPassword(root) {
  title(root, "Forgot your password?");
  const done = h("div");
  root.append(form({
    label: "Send a reset link", submit: "Send the link",
    controls: [field("Email", "email", { type: "email", autocomplete: "email" })],
    onSubmit: async (values) => {
      await orMissing(api.call("POST", "/v1/auth/forgot-password", { email: values.email }, { bearer: false }),
        "POST /v1/auth/forgot-password");
      done.replaceChildren(message("success", "If an account has that address, a link to reset its password is on its way."));
    },
  }), done);
}

function resetPassword(root) {
  title(root, "Choose a new password");
  const token = linkToken();
  if (!token) return root.append(message("error", "This page needs the link from the reset email."));
  const code = field("Two-factor code or recovery code", "code", { required: false, autocomplete: "one-time-code",
    hint: "Only if two-factor sign-in is on for your account" });
  root.append(form({
    label: "Choose a new password", submit: "Set the password",
    controls: [field("New password", "password", { type: "password", autocomplete: "new-password" }), code],
    onSubmit: async (values) => {
      const body = { token, password: values.password };
      if (values.code) body.code = values.code.trim();
      await orMissing(api.call("POST", "/v1/auth/reset-password", body, { bearer: false }), "POST /v1/auth/reset-password");
      navigate("/sign-in", "Your password is changed: sign in with it.");
    },
  }));
}

async function verifyEmail(root) {
  const confirming = location.pathname === "/confirm-email";
  title(root, confirming ? "Confirm your new email" : "Verify your email");
  const token = linkToken();
  if (!token) return root.append(message("error", "This page needs the link from the email."));
  root.append(form({
    label: "Verify your email", submit: confirming ? "Confirm the new address" : "Verify my email",
    controls: [],
    onSubmit: async (_, element) => {
      await orMissing(api.call("POST", "/v1/auth/verify-email", { token }, { bearer: false }), "POST /v1/auth/verify-email");
      element.replaceWith(message("success", "Your email address is verified."));
      if (state.user) await loadUser();
    },
  }));
}

// The link mailed to the current address when a change of address is asked for: approve it (the move
// still waits for the new address's confirmation) or cancel it.
function emailChange(root) {
  title(root, "A change of your email address");
  const token = linkToken();
  if (!token) return root.append(message("error", "This page needs the link from the email."));
  root.append(h("p", {}, "Someone signed in to your account asked to move it to another address. "
    + "If that was not you, cancel it and reset your password."));
  const approve = form({
    label: "Approve the change", submit: "Approve the change", controls: [],
    onSubmit: async (_, element) => {
      const answer = await orMissing(api.call("POST", "/v1/auth/verify-email", { token }, { bearer: false }),
        "POST /v1/auth/verify-email");
      cancel.remove();
      element.replaceWith(message("success", answer && answer.emailVerified
        ? "Your account now uses its new address." : "Approved: the account moves once the new address confirms it."));
      if (state.user) await loadUser();
    },
  });
  const cancel = form({
    label: "Cancel the change", submit: "Cancel the change", controls: [],
    onSubmit: async (_, element) => {
      await orMissing(api.call("POST", "/v1/auth/change-email/cancel", { token }, { bearer: false }),
        "POST /v1/auth/change-email/cancel");
      approve.remove();
      element.replaceWith(message("success", "The change is cancelled: your account keeps this address."));
    },
  });
  root.append(approve, cancel);
}

function acceptInvitation(root) {
  title(root, "Join your team");
  const token = linkToken();
  if (!token) return root.append(message("error", "This page needs the link from the invitation email."));
  root.append(form({
    label: "Accept the invitation", submit: "Join",
    controls: [field("Your name", "name", { autocomplete: "name" }),
      field("Choose a password", "password", { type: "password", autocomplete: "new-password", hint: "8 to 128 characters" })],
    onSubmit: async (values) => {
      const joined = await orMissing(api.call("POST", "/v1/auth/accept-invitation",
        { token, name: values.name, password: values.password }, { bearer: false }), "POST /v1/auth/accept-invitation");
      // That answer is the JSON-body flow (its refresh token would sit in script memory): end that
      // session and sign in afresh in cookie mode.
      await fetch("/v1/auth/logout", { method: "POST", headers: { Authorization: `Bearer ${joined.accessToken}` } });
      await api.login(joined.user.email, values.password);
      await signedIn();
    },
  }));
}

// --- signed in -----------------------------------------------------------------------------------

// The first page: a greeting with the organization's name, what is left to set up (each with the way
// to do it; an item goes once it is done), and the account's facts.
async function overview(root, { flash }) {
  const user = state.user;
  const [org, keys, passkeys] = await Promise.all([
    optional(api.call("GET", "/v1/organization")), optional(api.call("GET", "/v1/api-keys")),
    optional(api.call("GET", "/v1/auth/passkeys"))]);
  title(root, `Welcome, ${user.name}`, flash);
  root.append(h("p", { class: "lead" }, org ? `${org.name} on Latchkey` : "Latchkey"));
  const steps = [];
  if (user.emailVerified === false) {
    const sent = h("span");
    steps.push(step("Verify your email", `Open the link we sent to ${user.email}.`, h("div", {}, form({
      label: "Resend the verification email", submit: "Resend the link", controls: [],
      onSubmit: async () => {
        await orMissing(api.call("POST", "/v1/auth/verify-email/resend"), "POST /v1/auth/verify-email/resend");
        sent.replaceChildren(message("success", `A new link is on its way to ${user.email}.`));
      },
    }), sent)));
  }
  const passkeyCount = passkeys ? (passkeys.passkeys || []).length : 0;
  if (!user.twoFactorEnabled && passkeyCount === 0) {
    steps.push(step("Protect your account", "Turn on two-factor sign-in or add a passkey.",
      h("a", { class: "button", href: "/settings/security" }, "Set up two-factor")));
  }
  if (keys && keys.apiKeys.length === 0) {
    steps.push(step("Create your first API key", "Let your servers call the API on your organization's behalf.",
      h("a", { class: "button", href: "/settings/api-keys" }, "Create a key")));
  }
  root.append(section("Get started", steps.length
    ? h("ul", { class: "checklist", "aria-label": "Not set up yet" }, steps)
    : h("p", { class: "all-set" }, "You are all set: your email is verified, your account is protected and you have an API key.")));
  const verified = user.emailVerified;
  root.append(section("Your account", h("dl", { class: "facts" },
    h("dt", {}, "Name"), h("dd", {}, user.name),
    h("dt", {}, "Email"), h("dd", {}, user.email, verified === false ? " (not verified)" : verified ? " (verified)" : ""),
    h("dt", {}, "Organization"), h("dd", {}, org ? org.name : "—"),
    h("dt", {}, "Role"), h("dd", {}, roleName(user.role)),
    h("dt", {}, "Two-factor sign-in"), h("dd", {}, user.twoFactorEnabled ? "on" : "off"))));
}

function step(what, why, action) {
  return h("li", {}, h("div", {}, h("strong", {}, what), h("span", { class: "sub" }, why)), action);
}

// An answer the page can do without (a route not served, a refusal): null instead.
async function optional(promise) {
  try {
    return await promise;
  } catch (error) {
    if (error instanceof api.ApiError) return null;
    throw error;
  }
}

// --- settings: Profile, Security, API Keys ---------------------------------------------------------

const SETTINGS_TABS = [["/settings/profile", "Profile", profile], ["/settings/security", "Security", security],
  ["/settings/api-keys", "API Keys", apiKeys]];

// A page of tabs (Settings, Organization): the tabs as links (each its own address, so a reload or a
// bookmark keeps the tab), then the chosen tab under its own heading. `tabs()` says which are shown.
function tabbedPage(heading, tabs, path) {
  return async (root, { flash }) => {
    const shown = tabs().filter(([, , , when = () => true]) => when());
    const [, name, build] = shown.find(([tab]) => tab === path) || [];
    if (!build) return notFound(root);
    title(root, heading, flash);
    const panel = h("section", { class: "panel", "aria-labelledby": "tab-heading" },
      h("h2", { id: "tab-heading", class: "visually-hidden" }, name));
    root.append(h("nav", { class: "tabs", "aria-label": heading }, h("ul", {}, shown.map(([tab, text]) =>
      h("li", {}, h("a", { href: tab, "aria-current": tab === path ? "page" : null }, text))))), panel);
    await build(panel);
  };
}

function profile(root) {
  const twoFactor = state.user.twoFactorEnabled;
  root.append(
    h("p", {}, `Signed in as ${state.user.name} (${state.user.email}).`),
    subsection("Change email", form({
      label: "Change email", submit: "Change email",
      controls: [field("New email", "newEmail", { type: "email", autocomplete: "email" }),
        field("Password", "password", { type: "password", autocomplete: "current-password" })],
      onSubmit: async (values, element) => {
        await orMissing(api.call("POST", "/v1/auth/change-email", values), "POST /v1/auth/change-email");
        element.reset();
        element.append(message("success", `Check ${values.newEmail} for a link to confirm the change.`));
      },
    })),
    dangerZone(subsection("Delete account", h("p", {}, "This deletes your account, ends every session and revokes the API keys you created."),
      behindButton("Delete account", () => form({
        label: "Delete account", submit: "Delete my account", danger: true,
        controls: [field("Password", "password", { type: "password", autocomplete: "current-password" }),
          twoFactor ? field("Two-factor code or recovery code", "code", { autocomplete: "one-time-code" }) : null,
          h("div", { class: "field check" }, h("input", { type: "checkbox", id: "delete-sure", name: "sure", required: true }),
            h("label", { for: "delete-sure" }, "I understand this cannot be undone"))],
        onSubmit: async (values) => {
          if (!values.sure) throw new api.ApiError(400, "NOT_CONFIRMED", "Tick the box to confirm.");
          const body = { password: values.password };
          if (values.code) body.code = values.code.trim();
          await orMissing(api.call("POST", "/v1/auth/delete-account", body), "POST /v1/auth/delete-account");
          api.forget();
          state.user = null;
          navigate("/sign-in", "Your account is deleted.");
        },
      })))),
  );
}

function dangerZone(element) {
  element.classList.add("danger-zone");
  return element;
}

// Password, two-factor and sessions. Turning two-factor on or off and changing the password end the
// other sessions: the session list is read again after each, so it never shows an ended one.
async function security(root) {
  const twoFactor = h("div");
  const passkeyList = h("div");
  const identities = h("div");
  const sessions = h("div");
  const sessionsChanged = () => showSessions(sessions);
  root.append(subsection("Change password", form({
    label: "Change password", submit: "Change password",
    controls: [field("Current password", "currentPassword", { type: "password", autocomplete: "current-password" }),
      field("New password", "newPassword", { type: "password", autocomplete: "new-password", hint: "8 to 128 characters" })],
    onSubmit: async (values, element) => {
      await orMissing(api.call("POST", "/v1/auth/change-password", values), "POST /v1/auth/change-password");
      element.reset();
      element.append(message("success", "Password changed. Your other sessions have ended."));
      await sessionsChanged();
    },
  })), subsection("Two-factor sign-in", twoFactor), subsection("Passkeys", passkeyList),
  subsection("Sign-in providers", identities), subsection("Sessions", sessions));
  showTwoFactor(twoFactor, sessionsChanged);
  await passkeys.showPasskeys(passkeyList);
  await federation.showIdentities(identities);
  await sessionsChanged();
}

function showTwoFactor(holder, sessionsChanged) {
  if (state.user.twoFactorEnabled) {
    holder.replaceChildren(h("p", {}, "Two-factor sign-in is on."), behindButton("Turn two-factor off", () => form({
      label: "Turn two-factor off", submit: "Turn two-factor off", danger: true,
      controls: [field("Password", "password", { type: "password", autocomplete: "current-password" }),
        field("Code from your authenticator app, or a recovery code", "code", { autocomplete: "one-time-code" })],
      onSubmit: async (values) => {
        await api.call("POST", "/v1/auth/2fa/disable", { password: values.password, code: values.code.trim() });
        await loadUser();
        showTwoFactor(holder, sessionsChanged);
        holder.prepend(message("success", "Two-factor sign-in is off. Your other sessions have ended."));
        await sessionsChanged();
      },
    })));
    return;
  }
  holder.replaceChildren(h("p", {}, "Two-factor sign-in is off. Turn it on to ask for a code from an authenticator app at every sign-in."),
    form({
      label: "Set up two-factor", submit: "Set up two-factor", controls: [],
      onSubmit: async () => {
        const setup = await api.call("POST", "/v1/auth/2fa/setup");
        holder.replaceChildren(twoFactorSetup(holder, setup, sessionsChanged));
      },
    }));
}

function twoFactorSetup(holder, setup, sessionsChanged) {
  const qr = setup.qrSvg
    ? h("img", { class: "qr", alt: "QR code of the two-factor secret: scan it with your authenticator app",
      src: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(setup.qrSvg)}` })
    : null;
  return h("div", {},
    h("p", {}, "Scan the QR code with your authenticator app, or type the secret into it; then enter the code it shows, and your password."),
    qr,
    h("p", {}, "Secret: ", h("code", { class: "secret", "data-testid": "totp-secret" }, setup.secret)),
    form({
      label: "Confirm two-factor", submit: "Turn two-factor on",
      controls: [field("Code from your authenticator app", "code",
        { autocomplete: "one-time-code", inputmode: "numeric", pattern: "[0-9]{6}" }),
      field("Password", "password", { type: "password", autocomplete: "current-password" })],
      onSubmit: async (values) => {
        const enabled = await api.call("POST", "/v1/auth/2fa/enable", { password: values.password, code: values.code.trim() });
        await loadUser();
        holder.replaceChildren(recoveryCodes(holder, enabled.recoveryCodes, sessionsChanged));
        await sessionsChanged();
      },
    }));
}

function recoveryCodes(holder, codes, sessionsChanged) {
  const text = `${codes.join("\n")}\n`;
  const download = h("a", { class: "button secondary", download: "latchkey-recovery-codes.txt",
    href: URL.createObjectURL(new Blob([text], { type: "text/plain" })) }, "Download");
  const copyButton = h("button", { type: "button", class: "secondary", onclick: (event) => copy(text, event.target) }, "Copy");
  return h("div", { class: "shown-once" },
    message("success", "Two-factor sign-in is on. Your other sessions have ended."),
    h("p", { class: "warning" }, "Save these recovery codes now: they are shown only once. Each signs you in once if you lose your authenticator."),
    h("ul", { class: "codes", "aria-label": "Recovery codes" }, codes.map((code) => h("li", {}, h("code", {}, code)))),
    h("div", { class: "actions" }, copyButton, download,
      h("button", { type: "button", onclick: () => { URL.revokeObjectURL(download.href); showTwoFactor(holder, sessionsChanged); } }, "I have saved them")));
}

// Each session in words ("Chrome on macOS"), the address it was last used from, the current one marked.
async function showSessions(holder) {
  await guarded(holder, "The session list", "GET /v1/auth/sessions", () => api.call("GET", "/v1/auth/sessions"), (data) => [
    table("Your sessions", ["Device", "Last used from", "Signed in", "Last used", ""], data.sessions.map((session) =>
      h("tr", { class: session.current ? "current" : null },
        h("td", {}, device(session.userAgent) || session.userAgent || "Unknown device",
          session.current ? h("strong", { class: "badge" }, "This session") : null),
        h("td", {}, session.lastIp || session.sourceIp || "unknown"), h("td", {}, when(session.createdAt)),
        h("td", {}, when(session.lastUsedAt)),
        h("td", {}, session.current
          ? h("button", { type: "button", class: "secondary", onclick: () => signOut() }, "Sign out")
          : confirmButton("End", "End this session?", "End session", async () => {
            await api.call("DELETE", `/v1/auth/sessions/${encodeURIComponent(session.id)}`);
            await showSessions(holder);
          }))))),
    h("p", {}, confirmButton("Sign out everywhere", "End every session, this one too?", "Sign out everywhere",
      () => signOut(true, "You are signed out everywhere."))),
  ]);
}

// --- API keys ------------------------------------------------------------------------------------

let scopeList = null;

// Every scope a key can hold, what it allows and which are admins' (written from api/scopes.py by `python -m contract`).
async function scopes() {
  if (!scopeList) scopeList = (await fetch("/scopes.json").then((answer) => answer.json())).scopes;
  return scopeList;
}

async function apiKeys(root) {
  const created = h("div");
  const list = h("div");
  const admin = state.user.role === "ADMIN";
  const allowed = (await scopes()).filter((scope) => admin || !scope.adminOnly);
  const createForm = form({
    label: "Create Token", submit: "Create Token",
    controls: [
      field("Name", "name", { hint: "What uses it, e.g. Production Integration" }),
      h("fieldset", {}, h("legend", {}, "Scopes"), allowed.map((scope) => {
        const id = `scope-${scope.name.replace(/\W/g, "-")}`;
        return h("div", { class: "check" }, h("input", { type: "checkbox", id, name: "scopes", value: scope.name }),
          h("label", { for: id, title: scope.description }, scope.name));
      }), admin ? null : h("p", { class: "hint" }, "Write scopes are for organization admins.")),
      field("Expires (optional)", "expiresAt", { type: "datetime-local", required: false, hint: "Leave empty for a key that does not expire" }),
    ],
    onSubmit: async (values, element) => {
      const body = { name: values.name, scopes: new FormData(element).getAll("scopes") };
      if (values.expiresAt) body.expiresAt = new Date(values.expiresAt).toISOString();
      const key = await api.call("POST", "/v1/api-keys", body);
      element.reset();
      const copyButton = h("button", { type: "button", onclick: (event) => copy(key.key, event.target) }, "Copy");
      created.replaceChildren(h("div", { class: "shown-once", role: "status" },
        h("p", { class: "warning" }, `Copy the key "${key.name}" now: it is shown only once and cannot be recovered.`),
        h("p", {}, h("code", { class: "secret", "data-testid": "new-api-key" }, key.key), " ", copyButton)));
      await showKeys(list);
    },
  });
  root.append(subsection("Create Token", createForm, created), subsection("Your organization's keys", list));
  await showKeys(list);
}

async function showKeys(holder) {
  const load = () => Promise.all([api.call("GET", "/v1/api-keys"), memberNames()]);
  await guarded(holder, "The key list", "GET /v1/api-keys", load, ([data, names]) =>
    data.apiKeys.length === 0
      ? empty("No API keys yet.", "Create one above to let a server call the API; it is shown once, so copy it then.")
      : table("API keys",
      ["Name", "Key", "Scopes", "Created by", "Last used", "Expires", ""], data.apiKeys.map((key) => h("tr", {},
        h("td", {}, key.name), h("td", {}, h("code", {}, `${key.prefix}…${key.last4}`)), h("td", {}, key.scopes.join(", ")),
        h("td", {}, names.get(`user:${key.createdBy}`) || "a former member"), h("td", {}, when(key.lastUsedAt)),
        h("td", {}, key.expiresAt ? when(key.expiresAt) : "never"),
        h("td", {}, key.revokedAt ? `revoked ${when(key.revokedAt)}` : confirmButton("Revoke", `Revoke "${key.name}"?`,
          "Revoke key", async () => {
            await api.call("DELETE", `/v1/api-keys/${encodeURIComponent(key.id)}`);
            await showKeys(holder);
          }))))));
}

// --- organization --------------------------------------------------------------------------------

// The organization: Members, Invitations (admins), Settings. Apps joins them once the API has apps.
const isAdmin = () => state.user.role === "ADMIN";
// The API's roles in words.
const ROLES = { MEMBER: "Member", ADMIN: "Admin" };
const roleName = (role) => ROLES[role] || role;
const organizationTabs = () => [
  ["/organization/members", "Members", (panel) => showMembers(card(panel), isAdmin())],
  ["/organization/invitations", "Invitations", (panel) => showInvitations(card(panel)), isAdmin],
  ["/organization/apps", "Apps", (panel) => showApps(card(panel)), isAdmin],
  ["/organization/settings", "Settings", (panel) => showSettings(card(panel), isAdmin())],
];

function card(parent) {
  const holder = h("div", { class: "card" });
  parent.append(holder);
  return holder;
}

async function showSettings(holder, admin) {
  await guarded(holder, "The organization's settings", "GET /v1/organization", () => api.call("GET", "/v1/organization"), (org) => [
    h("dl", { class: "facts" }, h("dt", {}, "Name"), h("dd", {}, org.name),
      h("dt", {}, "Created"), h("dd", {}, when(org.createdAt))),
    admin ? form({
      label: "Result redirect URL", submit: "Save",
      controls: [field("Result redirect URL", "resultRedirectUrl", { type: "url", required: false, value: org.resultRedirectUrl || "",
        hint: "Where candidates go when they finish (https://, empty for none); the result token is added to it" })],
      onSubmit: async (values, element) => {
        await api.call("PATCH", "/v1/organization", { resultRedirectUrl: values.resultRedirectUrl || null });
        element.append(message("success", "Saved."));
      },
    }) : h("p", {}, "Result redirect URL: ", org.resultRedirectUrl || "none"),
  ]);
}

async function showMembers(holder, admin) {
  await guarded(holder, "The member list", "GET /v1/organization/members", () => api.call("GET", "/v1/organization/members"), (data) =>
    table("Members", ["Name", "Email", "Role", "Two-factor", "Joined", ""], data.members.map((member) => {
      const self = member.id === state.user.id;
      const role = admin && !self
        ? roleSelect(member, holder)
        : roleName(member.role);
      return h("tr", {}, h("td", {}, member.name, self ? " (you)" : ""), h("td", {}, member.email), h("td", {}, role),
        h("td", {}, member.twoFactorEnabled ? h("span", { class: "badge ok" }, "on") : h("span", { class: "badge off" }, "off")),
        h("td", {}, when(member.createdAt)),
        h("td", {}, admin && !self ? confirmButton("Remove", `Remove ${member.name}?`, "Remove member", async () => {
          await api.call("DELETE", `/v1/organization/members/${encodeURIComponent(member.id)}`);
          await showMembers(holder, admin);
        }) : null));
    })));
}

function roleSelect(member, holder) {
  const id = `role-${member.id}`;
  return form({
    label: `Role of ${member.name}`, submit: "Change role",
    controls: [h("label", { for: id, class: "visually-hidden" }, `Role of ${member.name}`),
      h("select", { id, name: "role" }, Object.entries(ROLES).map(([role, words]) =>
        h("option", { value: role, selected: role === member.role }, words)))],
    onSubmit: async (values) => {
      await api.call("PATCH", `/v1/organization/members/${encodeURIComponent(member.id)}`, { role: values.role });
      await showMembers(holder, true);
    },
  });
}

async function showInvitations(holder) {
  const list = h("div");
  const invite = (email, role) => api.call("POST", "/v1/organization/invitations", { email, role });
  const sendForm = form({
    label: "Invite a member", submit: "Send invitation",
    controls: [field("Email", "email", { type: "email", autocomplete: "off" }),
      h("div", { class: "field" }, h("label", { for: "invite-role" }, "Role"),
        h("select", { id: "invite-role", name: "role" }, Object.entries(ROLES).map(([role, words]) => h("option", { value: role }, words))))],
    onSubmit: async (values, element) => {
      await orMissing(invite(values.email, values.role), "POST /v1/organization/invitations");
      element.reset();
      element.append(message("success", `Invitation sent to ${values.email}.`));
      await showList();
    },
  });
  async function showList() {
    await guarded(list, "The invitation list", "GET /v1/organization/invitations",
      () => api.call("GET", "/v1/organization/invitations"), (data) => data.invitations.length === 0
        ? empty("No pending invitations.", "Invite a teammate with the form above: they get an email with a link to join.")
        : table("Pending invitations", ["Email", "Role", "Expires", ""], data.invitations.map((invitation) => h("tr", {},
          h("td", {}, invitation.email), h("td", {}, roleName(invitation.role)), h("td", {}, when(invitation.expiresAt)),
          h("td", {}, h("button", { type: "button", class: "secondary", onclick: async (event) => {
            event.target.disabled = true;
            try {
              await invite(invitation.email, invitation.role);
              await showList();
            } catch (error) {
              event.target.after(message("error", error.message));
              event.target.disabled = false;
            }
          } }, "Resend"), " ", confirmButton("Revoke", `Revoke the invitation of ${invitation.email}?`, "Revoke invitation", async () => {
            await api.call("DELETE", `/v1/organization/invitations/${encodeURIComponent(invitation.id)}`);
            await showList();
          }))))));
  }
  holder.replaceChildren(h("h3", {}, "Invite a teammate"), sendForm, list);
  await showList();
}

// OAuth apps (docs: Sign in with Latchkey): register, list, rotate a secret, delete. A secret is shown once.
async function showApps(holder) {
  const list = h("div");
  const created = h("div");
  const shownOnce = (what, app, secret) => {
    const copyButton = h("button", { type: "button", onclick: (event) => copy(secret, event.target) }, "Copy");
    created.replaceChildren(h("div", { class: "shown-once", role: "status" },
      h("p", { class: "warning" }, `Copy the ${what} of "${app.name}" now: it is shown only once and cannot be recovered.`),
      h("p", {}, h("code", { class: "secret", "data-testid": "new-app-secret" }, secret), " ", copyButton)));
  };
  const registerForm = form({
    label: "Register an app", submit: "Register app",
    controls: [field("App name", "name", { autocomplete: "off" }),
      field("Redirect URIs", "redirectUris", { autocomplete: "off", hint: "Exact https:// URIs, separated by spaces (http:// for 127.0.0.1 only)" }),
      h("div", { class: "field" }, h("label", { for: "app-type" }, "Type"),
        h("select", { id: "app-type", name: "type" }, h("option", { value: "confidential" }, "Confidential (a server keeps its secret)"),
          h("option", { value: "public" }, "Public (a browser or mobile app: PKCE only)"))),
      h("div", { class: "field" }, h("input", { type: "checkbox", id: "app-first-party", name: "firstParty", value: "yes" }),
        h("label", { for: "app-first-party" }, "First party (the organization's own app: no consent page)"))],
    onSubmit: async (values, element) => {
      const app = await api.call("POST", "/v1/organization/apps", { name: values.name, type: values.type,
        redirectUris: values.redirectUris.split(/\s+/).filter(Boolean), firstParty: new FormData(element).has("firstParty") });
      element.reset();
      if (app.clientSecret) shownOnce("client secret", app, app.clientSecret);
      else created.replaceChildren(message("success", `"${app.name}" is registered: its client ID is ${app.clientId}.`));
      await showList();
    },
  });
  async function showList() {
    await guarded(list, "The app list", "GET /v1/organization/apps", () => api.call("GET", "/v1/organization/apps"),
      (data) => data.apps.length === 0
        ? empty("No apps yet.", "Register an app to let it sign your organization's users in with Latchkey.")
        : table("Your organization's apps", ["Name", "Client ID", "Type", "Redirect URIs", ""], data.apps.map((app) => h("tr", {},
          h("td", {}, app.name), h("td", {}, h("code", {}, app.clientId)), h("td", {}, app.type + (app.firstParty ? ", first party" : "")),
          h("td", {}, app.redirectUris.join(" ")),
          h("td", {}, app.type === "confidential" ? confirmButton("Rotate secret", `Replace the secret of "${app.name}"? The current one stops working at once.`,
            "Rotate secret", async () => {
              const rotated = await api.call("POST", `/v1/organization/apps/${encodeURIComponent(app.clientId)}/rotate-secret`);
              shownOnce("new client secret", app, rotated.clientSecret);
            }) : "", " ", confirmButton("Delete", `Delete "${app.name}"? It can no longer sign anyone in.`, "Delete app", async () => {
            await api.call("DELETE", `/v1/organization/apps/${encodeURIComponent(app.clientId)}`);
            await showList();
          }))))));
  }
  holder.replaceChildren(h("h3", {}, "Register an app"), registerForm, created, list);
  await showList();
}

// --- activity ------------------------------------------------------------------------------------

// The audit events as sentences ("You created the key Production"), newest first; the filter lists the
// API's event types (written from the audit module by `python -m contract`).
async function activity(root, { flash }) {
  title(root, "Activity", flash);
  root.append(h("p", { class: "lead" }, state.user.role === "ADMIN"
    ? "What happened in your organization: sign-ins, keys, members and settings."
    : "What happened on your account: sign-ins, keys and settings."));
  const list = h("div");
  const events = [];
  let cursor = null;
  const [types, names] = await Promise.all([auditTypes(), knownNames()]);
  const labels = Object.fromEntries(types.map(({ type, label }) => [type, label]));
  const more = h("button", { type: "button", class: "secondary", hidden: true, onclick: () => load(false) }, "Load more");
  const select = h("select", { id: "event-type", name: "type", onchange: () => load(true) },
    h("option", { value: "" }, "All events"), types.map(({ type, label }) => h("option", { value: type }, label)));
  const filter = form({
    label: "Filter events", submit: "Show",
    controls: [h("div", { class: "field" }, h("label", { for: "event-type" }, "Event type"), select)],
    onSubmit: () => load(true),
  });
  filter.classList.add("inline-filter");
  // Only the newest load answers for the list: the first page's answer arriving after a filter was
  // chosen must not add its events to the filtered ones.
  let latest = 0;
  async function load(fresh) {
    const mine = ++latest;
    const query = new URLSearchParams({ limit: "50" });
    if (select.value) query.set("type", select.value);
    if (!fresh && cursor) query.set("cursor", cursor);
    await guarded(list, "The activity log", "GET /v1/audit-events", () => api.call("GET", `/v1/audit-events?${query}`), (data) => {
      if (mine !== latest) return [...list.childNodes];
      if (fresh) events.length = 0;
      events.push(...data.auditEvents);
      cursor = data.nextCursor || null;
      more.hidden = !cursor;
      if (events.length === 0) {
        return select.value
          ? empty(`No "${labels[select.value]}" events.`, "Choose All events to see everything that happened.")
          : empty("Nothing has happened yet.", "Sign-ins, new keys and changes to members and settings show up here.");
      }
      return table("Audit events", ["What happened", "When", "From"], events.map((event) => h("tr", {},
        h("td", {}, sentence(event, names)),
        h("td", {}, h("time", { datetime: event.at }, when(event.at))), h("td", {}, event.sourceIp || ""))));
    });
  }
  root.append(h("section", { "aria-labelledby": "events-heading" }, h("h2", { id: "events-heading" }, "Events"), filter, list, more));
  await load(true);
}

let auditTypeList = null;

async function auditTypes() {
  if (!auditTypeList) auditTypeList = (await fetch("/audit-events.json").then((answer) => answer.json())).types;
  return auditTypeList;
}

// Who and what the events name (`user:<id>`, `key:<id>`, `invitation:<id>`), by the lists this user may
// read; what is not in them (a removed member, an invitation accepted) gets a general word.
async function knownNames() {
  const [names, keys, invitations] = await Promise.all([memberNames(), optional(api.call("GET", "/v1/api-keys")),
    state.user.role === "ADMIN" ? optional(api.call("GET", "/v1/organization/invitations")) : null]);
  for (const key of (keys && keys.apiKeys) || []) names.set(`key:${key.id}`, key.name);
  for (const invitation of (invitations && invitations.invitations) || []) names.set(`invitation:${invitation.id}`, invitation.email);
  return names;
}

// `user:<id>` -> the member's name ("you" for the signed-in user).
async function memberNames() {
  const members = await optional(api.call("GET", "/v1/organization/members"));
  const names = new Map(((members && members.members) || []).map((member) => [`user:${member.id}`, member.name]));
  names.set(`user:${state.user.id}`, "you");
  return names;
}

const capital = (text) => text.charAt(0).toUpperCase() + text.slice(1);

// One event as a sentence: actor, verb, subject.
function sentence(event, names) {
  const who = (ref, general) => names.get(ref) || general;
  const actor = event.actor === "anonymous" ? "someone" : who(event.actor, event.actor.startsWith("key:") ? "an API key"
    : event.actor.startsWith("iam:") ? "an operator" : "a former member");
  const person = event.userId ? who(`user:${event.userId}`, "a former member") : actor;
  const whose = (name) => (name === "you" ? "your" : `${name}'s`);
  const keyName = who(event.subject, "a deleted key");
  const role = (event.reason || "").toLowerCase();
  const text = {
    "auth.sign_in.succeeded": `${person} signed in`,
    "auth.sign_in.failed": `a sign-in as ${person} failed${event.reason === "INVALID_2FA_CODE" ? " (wrong two-factor code)" : " (wrong password)"}`,
    "auth.lockout": `${whose(person)} account was locked after too many failed sign-ins`,
    "auth.2fa.set_up": `${actor} started setting up two-factor sign-in`,
    "auth.2fa.enabled": `${actor} turned on two-factor sign-in`,
    "auth.2fa.disabled": event.reason === "password reset"
      ? `${whose(person)} two-factor sign-in was turned off by a password reset`
      : `${actor} turned off two-factor sign-in`,
    "auth.2fa.recovery_code_used": `${person} signed in with a recovery code`,
    "session.refresh_reuse_detected": `a session of ${person} was ended: its refresh token was used twice`,
    "session.logout": `${actor} signed out`,
    "session.logout_all": `${actor} signed out everywhere`,
    "session.revoked": `${actor} ended a session`,
    "api_key.created": `${actor} created the key ${keyName}`,
    "api_key.revoked": `${actor} revoked the key ${keyName}`,
    "api_key.first_used": `the key ${keyName} was used for the first time`,
    "organization.settings_changed": event.reason === "resultRedirectUrl"
      ? `${actor} changed the result redirect URL` : `${actor} changed the organization's settings`,
    "account.password_reset": `${whose(person)} password was reset`,
    "account.password_changed": `${whose(person)} password was changed`,
    "account.email_verified": `${whose(person)} email address was verified`,
    "account.email_changed": `${whose(person)} email address was changed`,
    "account.email_change.requested": `${actor} asked to change ${whose(person)} email address`,
    "account.email_change.approved": `the current address approved a change of ${whose(person)} email address`,
    "account.email_change.confirmed": `the new address confirmed a change of ${whose(person)} email address`,
    "account.email_change.cancelled": `a change of ${whose(person)} email address was cancelled`,
    "auth.passkey.added": `${actor} added a passkey`,
    "auth.passkey.removed": `${actor} removed a passkey`,
    "auth.passkey.clone_detected": `a sign-in as ${person} with a cloned passkey was refused`,
    "auth.identity.linked": `${whose(person)} ${event.reason || "sign-in provider"} account was linked`,
    "auth.identity.unlinked": `${actor} unlinked ${whose(person)} ${event.reason || "sign-in provider"} account`,
    "member.invited": `${actor} invited ${who(event.subject, "a new member")}${role ? ` as ${role === "admin" ? "an admin" : "a member"}` : ""}`,
    "member.joined": `${person} joined${role ? ` as ${role === "admin" ? "an admin" : "a member"}` : ""}`,
    "member.role_changed": `${actor} changed the role of ${person}`,
    "member.removed": `${actor} removed ${person}`,
    "app.registered": `${actor} registered an OAuth app`,
    "app.updated": `${actor} changed an OAuth app`,
    "app.deleted": `${actor} deleted an OAuth app`,
    "app.secret_rotated": `${actor} rotated an OAuth app's secret`,
    "app.secret_voided": `the secret of an OAuth app ${person} registered was voided as their access ended`,
    "session.app_logout": `an app signed ${person} out`,
    "account.created": `${actor} created ${whose(person)} account`,
    "account.disabled": `${actor} disabled ${whose(person)} account`,
    "account.enabled": `${actor} enabled ${whose(person)} account again`,
    "account.deleted": `${actor} deleted ${whose(person)} account`,
  }[event.type];
  return capital(text || `${actor}: ${event.type}`);
}

function notFound(root) {
  title(root, "Page not found");
  root.append(h("p", {}, h("a", { href: "/" }, "Back to the dashboard")));
}

// Addresses that are another page's: Settings opens on its first tab.
export const REDIRECTS = { "/settings": SETTINGS_TABS[0][0], "/organization": organizationTabs()[0][0] };

// --- signing in to an app (OAuth): the hosted page ----------------------------------------------------

// An app sent the browser here (GET /oauth2/authorize kept its request): sign in if needed, consent if
// the app asks for it, then back to the app with what the API answers.
async function oauthAuthorize(root) {
  const query = new URLSearchParams(location.search);
  const request = query.get("request");
  if (!request) return title(root, "Sign in to an app"), root.append(message("error", "This page needs the app's sign-in link."));
  const again = () => loadUser().then(() => navigate(location.pathname + location.search));
  const decide = (decision) => api.call("POST", "/oauth2/authorize/decision", { request, decision: decision || null });
  const follow = async (answer) => {
    if (answer.next === "redirect") {
      location.assign(answer.redirectTo);
      return;
    }
    root.replaceChildren();
    if (answer.next === "sign_in") {
      title(root, `Sign in to continue to ${answer.app.name}`);
      root.append(message("info", `${answer.app.name} asks you to sign in again.`), ...signInForms(again));
      return;
    }
    title(root, `Allow ${answer.app.name}?`);
    const choose = (decision) => async () => follow(await decide(decision));
    root.append(h("p", {}, `${answer.app.name} wants to:`),
      h("ul", {}, answer.scopes.map((scope) => h("li", {}, h("code", {}, scope)))),
      h("div", { class: "actions" },
        h("button", { type: "button", onclick: choose("allow") }, "Allow"),
        h("button", { type: "button", class: "secondary", onclick: choose("deny") }, "Deny")));
  };
  if (!state.user && query.get("prompt") === "none") {
    // A silent sign-in (prompt=none) and no session here: back to the app with login_required, no page.
    try {
      location.assign((await api.call("POST", "/oauth2/authorize/cancel", { request }, { bearer: false })).redirectTo);
    } catch (error) {
      if (!(error instanceof api.ApiError)) throw error;
      title(root, "Sign in to an app");
      root.append(message("error", error.message));
    }
    return;
  }
  if (!state.user) {
    title(root, "Sign in");
    root.append(h("p", {}, "An app asks you to sign in with your Latchkey account."), ...signInForms(again));
    return;
  }
  try {
    await follow(await decide());
  } catch (error) {
    if (!(error instanceof api.ApiError)) throw error;
    title(root, "Sign in to an app");
    root.append(message("error", error.message));
  }
}

// An app signed its user out (GET /oauth2/logout) and sent no address of its own to go back to. With the
// app's ID token the API ended this browser's session already; without one it ended nothing, so ask.
function oauthLogout(root) {
  if (!state.user) {
    title(root, "You are signed out");
    root.append(h("p", {}, "You can close this window, or ", h("a", { href: "/sign-in" }, "sign in again"), "."));
    return;
  }
  title(root, "Sign out?");
  root.append(h("p", {}, `An app asks you to sign out of Latchkey, where you are signed in as ${state.user.email}.`),
    h("div", { class: "actions" },
      h("button", { type: "button", onclick: () => signOut() }, "Sign out"),
      h("a", { href: "/" }, "Stay signed in")));
}

export const pages = {
  "/oauth/authorize": oauthAuthorize, "/oauth/logout": oauthLogout,
  "/sign-in": signIn, "/sign-in/email-link": emailLink, "/sign-in/email-code": emailCode, "/magic-link": magicLink,
  "/sign-in/second-factor": federatedSecondFactor,
  "/sign-up": signUp, "/forgot-password": forgotPassword, "/reset-password": resetPassword,
  "/verify-email": verifyEmail, "/confirm-email": verifyEmail, "/email-change": emailChange,
  "/accept-invitation": acceptInvitation,
  "/": overview, ...Object.fromEntries(SETTINGS_TABS.map(([path]) => [path, tabbedPage("Settings", () => SETTINGS_TABS, path)])),
  ...Object.fromEntries(organizationTabs().map(([path]) => [path, tabbedPage("Organization", organizationTabs, path)])),
  "/activity": activity, "/not-found": notFound,
};

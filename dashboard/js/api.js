// The API client: the access token in memory only (never in storage, a URL or the console); the
// refresh token in an HttpOnly cookie the page cannot read (cookie mode, X-Token-Transport: cookie).

const COOKIE_MODE = { "X-Token-Transport": "cookie" };
let access = null; // {token, expiresAt}
let renewTimer = null;
let reauthenticator = null; // async () => boolean: asks the user for their password again

export class ApiError extends Error {
  constructor(status, code, message, details) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details || [];
  }
  // A route the API does not serve (yet): the gateway's 404 for an unknown path.
  get missingRoute() {
    return this.status === 404 && this.code === "NOT_FOUND";
  }
}

export function onReauthenticationRequired(ask) {
  reauthenticator = ask;
}

export function signedIn() {
  return access !== null;
}

async function send(method, path, { body, bearer = true, cookie = false } = {}) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (bearer && access) headers.Authorization = `Bearer ${access.token}`;
  if (cookie) Object.assign(headers, COOKIE_MODE);
  let response;
  try {
    response = await fetch(path, {
      method, headers, credentials: "same-origin", cache: "no-store",
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, "NETWORK", "The API cannot be reached: check your connection and try again.");
  }
  let answer = null;
  try {
    answer = await response.json();
  } catch {
    answer = null;
  }
  if (response.ok && answer && answer.success) return answer.data;
  const error = (answer && answer.error) || {};
  throw new ApiError(response.status, error.code || `HTTP_${response.status}`,
    error.message || `The API answered ${response.status}.`, error.details);
}

function keep(tokens) {
  access = { token: tokens.accessToken, expiresAt: Date.now() + tokens.expiresIn * 1000 };
  clearTimeout(renewTimer);
  // Renew a minute before expiry, so a request rarely meets an expired token.
  renewTimer = setTimeout(() => refresh().catch(() => {}), Math.max(5, tokens.expiresIn - 60) * 1000);
  return tokens;
}

export function forget() {
  access = null;
  clearTimeout(renewTimer);
}

// Sign-in routes in cookie mode: the body carries no refresh token; the cookie does.
export async function login(email, password) {
  return firstFactor("/v1/auth/login", { email, password });
}

// Passwordless: the token from a sign-in link, or an address and the code sent to it.
export async function signInWithLink(token) {
  return firstFactor("/v1/auth/magic-link/verify", { token });
}

export async function signInWithCode(email, code) {
  return firstFactor("/v1/auth/email-code/verify", { email, code });
}

// A first factor's answer: signed in, or `requires2FA` with a pending token for verify-2fa.
async function firstFactor(path, body) {
  const data = await send("POST", path, { body, bearer: false, cookie: true });
  return data.requires2FA ? data : keep(data);
}

export async function verifyTwoFactor(pendingToken, code) {
  return keep(await send("POST", "/v1/auth/verify-2fa", { body: { pendingToken, code }, bearer: false, cookie: true }));
}

export async function register(body) {
  return keep(await send("POST", "/v1/auth/register", { body, bearer: false, cookie: true }));
}

// One refresh at a time across this origin's tabs (Web Locks), so that two tabs never present the
// same cookie at once; the API's 10-second grace rule covers what slips through.
export async function refresh() {
  const run = async () => keep(await send("POST", "/v1/auth/refresh", { body: {}, bearer: false, cookie: true }));
  try {
    return navigator.locks ? await navigator.locks.request("latchkey-refresh", run) : await run();
  } catch (error) {
    if (error.status === 401) forget();
    throw error;
  }
}

export async function reauthenticate(password, code) {
  const body = code ? { password, code } : { password };
  return keep(await send("POST", "/v1/auth/reauthenticate", { body, cookie: true }));
}

// Passkeys (WebAuthn Level 3 JSON forms): options for a ceremony; its credential.toJSON() back.
export async function passkeyOptions(pendingToken) {
  const body = pendingToken ? { pendingToken } : {};
  return (await send("POST", "/v1/auth/passkeys/login/options", { body, bearer: !pendingToken && access !== null })).options;
}

export async function passkeyLogin(credential) {
  return keep(await send("POST", "/v1/auth/passkeys/login", { body: { credential }, bearer: false, cookie: true }));
}

export async function verifyWithPasskey(pendingToken, credential) {
  return keep(await send("POST", "/v1/auth/verify-2fa", { body: { pendingToken, credential }, bearer: false, cookie: true }));
}

export async function reauthenticateWithPasskey(credential) {
  return keep(await send("POST", "/v1/auth/reauthenticate", { body: { credential }, cookie: true }));
}

export async function logout(everywhere = false) {
  try {
    await send("POST", everywhere ? "/v1/auth/logout-all" : "/v1/auth/logout", { cookie: true });
  } finally {
    forget();
  }
}

// Any other call: an expired token is refreshed once; a step-up route asks for the password again.
export async function call(method, path, body, { bearer = true } = {}) {
  try {
    return await send(method, path, { body, bearer });
  } catch (error) {
    if (bearer && error.status === 401 && ["TOKEN_EXPIRED", "NO_BEARER_TOKEN"].includes(error.code)) {
      await refresh();
      return send(method, path, { body, bearer });
    }
    if (error.code === "REAUTHENTICATION_REQUIRED" && reauthenticator && (await reauthenticator())) {
      return send(method, path, { body, bearer });
    }
    throw error;
  }
}

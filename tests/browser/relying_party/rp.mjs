// A relying party nobody here wrote: openid-client (pinned in package.json), run by
// tests/browser/test_oauth_openid_client.py. `start` prints the authorization URL (PKCE S256, state,
// nonce; a prompt if given) from the provider's discovery document; `finish` redeems the browser's
// callback, checks the ID token against the JWKS, calls userinfo, refreshes and revokes, and prints what
// it saw as JSON; `redeem` only redeems and checks (and prints the ID token); `logout` prints the
// end-session URL (RP-Initiated Logout) for an ID token.
import * as client from "openid-client";

const [command, issuer, clientId, redirectUri, ...rest] = process.argv.slice(2);
const config = await client.discovery(new URL(issuer), clientId, undefined, client.None(),
  { execute: [client.allowInsecureRequests] });  // the local API is http://127.0.0.1

if (command === "logout") {
  const [idToken, postLogout, state] = rest;
  const url = client.buildEndSessionUrl(config, { id_token_hint: idToken, post_logout_redirect_uri: postLogout, state });
  console.log(JSON.stringify({ url: url.href }));
} else if (command === "start") {
  const [prompt] = rest;
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri, scope: "openid email profile offline_access", state, nonce,
    code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: "S256",
    ...(prompt ? { prompt } : {}),
  });
  console.log(JSON.stringify({ url: url.href, verifier, state, nonce }));
} else {
  const [callback, verifier, state, nonce] = rest;
  const tokens = await client.authorizationCodeGrant(config, new URL(callback),
    { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce, idTokenExpected: true });
  const claims = tokens.claims();
  if (command === "redeem") {
    console.log(JSON.stringify({ claims, idToken: tokens.id_token }));
    process.exit(0);
  }
  const userinfo = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
  const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token);
  await client.tokenRevocation(config, refreshed.refresh_token, { token_type_hint: "refresh_token" });
  let afterRevocation = "accepted";
  try {
    await client.refreshTokenGrant(config, refreshed.refresh_token);
  } catch (error) {
    afterRevocation = error.error || error.code || String(error);
  }
  console.log(JSON.stringify({ claims, userinfo, refreshed: Boolean(refreshed.access_token), afterRevocation,
    idTokenHeader: JSON.parse(Buffer.from(tokens.id_token.split(".")[0], "base64url")) }));
}

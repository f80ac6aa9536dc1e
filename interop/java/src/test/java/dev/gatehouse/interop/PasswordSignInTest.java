package dev.gatehouse.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.okta.idx.sdk.api.client.IDXAuthenticationWrapper;
import com.okta.idx.sdk.api.client.ProceedContext;
import com.okta.idx.sdk.api.model.AuthenticationOptions;
import com.okta.idx.sdk.api.model.AuthenticationStatus;
import com.okta.idx.sdk.api.response.AuthenticationResponse;
import com.okta.idx.sdk.api.response.TokenResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The seed's embedded sign-in, driven by Okta's IDX SDK for Java against a real Gatehouse: IDXAuthenticationWrapper
 * is the Java twin of the .NET IdxClient the seed's app uses. The Gatehouse, its apps (one per sign-in policy) and
 * the user come from packages/server/test/interop/java-idx.test.ts through GATEHOUSE_INTEROP_* variables.
 */
class PasswordSignInTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final String ION = "application/ion+json; okta-version=1.0.0";

    private static final String ISSUER = env("ISSUER");
    private static final String REDIRECT_URI = env("REDIRECT_URI");
    private static final String USERNAME = env("USERNAME");
    private static final String PASSWORD = env("PASSWORD");

    private static String env(String name) {
        String v = System.getenv("GATEHOUSE_INTEROP_" + name);
        if (v == null || v.isEmpty()) {
            throw new IllegalStateException("GATEHOUSE_INTEROP_" + name + " is not set: run this through npm test "
                    + "(packages/server/test/interop/java-idx.test.ts starts Gatehouse and sets it)");
        }
        return v;
    }

    /** The wrapper for the app with this sign-in policy ("password-first" or "identifier-first"). */
    private static IDXAuthenticationWrapper wrapperFor(String policy) {
        String key = policy.toUpperCase().replace('-', '_');
        return new IDXAuthenticationWrapper(ISSUER, env(key + "_CLIENT_ID"), env(key + "_CLIENT_SECRET"),
                Set.of("openid", "profile", "email", "offline_access"), REDIRECT_URI);
    }

    private static ProceedContext begin(IDXAuthenticationWrapper idx) {
        AuthenticationResponse begun = idx.begin();
        assertTrue(begun.getErrors() == null || begun.getErrors().isEmpty(), "begin(): " + begun.getErrors());
        assertNotNull(begun.getProceedContext(), "begin() gives a proceed context");
        return begun.getProceedContext();
    }

    @ParameterizedTest(name = "{0}: begin, authenticate with username and password, tokens, userinfo")
    @ValueSource(strings = {"password-first", "identifier-first"})
    void passwordSignInToTokensAndUserinfo(String policy) throws Exception {
        IDXAuthenticationWrapper idx = wrapperFor(policy);
        ProceedContext context = begin(idx);
        // The policy shows in the first form: password-first asks for the password with the username.
        assertEquals(policy.equals("password-first"), identifyForm(context).toString().contains("\"credentials\""),
                "identify form for " + policy + ": " + identifyForm(context));

        // The wrapper identifies (with the password on the first screen, or answering the password challenge
        // after it), then redeems the interaction code with its PKCE verifier at the token endpoint.
        AuthenticationResponse done = idx.authenticate(new AuthenticationOptions(USERNAME, PASSWORD.toCharArray()), context);
        assertEquals(AuthenticationStatus.SUCCESS, done.getAuthenticationStatus(), "errors: " + done.getErrors());
        assertTokensAndProfile(done.getTokenResponse(), policy);
    }

    @Test
    void widgetCallbackRedeemsTheInteractionCodeAsTheSeedDoes() throws Exception {
        // The seed's shape: the app begins the interaction, the widget signs the user in with the interaction
        // handle, the browser comes back with interaction_code, and the app redeems it with its own context.
        IDXAuthenticationWrapper idx = wrapperFor("password-first");
        ProceedContext context = begin(idx);
        String interactionCode = widgetSignIn(context.getClientContext().getInteractionHandle());

        AuthenticationResponse redeemed = idx.fetchTokenWithInteractionCode(ISSUER, context, interactionCode);
        assertTrue(redeemed.getErrors() == null || redeemed.getErrors().isEmpty(), "errors: " + redeemed.getErrors());
        assertTokensAndProfile(redeemed.getTokenResponse(), "password-first");

        // The code is single-use: the SDK surfaces Gatehouse's OAuth error.
        AuthenticationResponse again = idx.fetchTokenWithInteractionCode(ISSUER, context, interactionCode);
        assertNull(again.getTokenResponse());
        assertTrue(String.valueOf(again.getErrors()).contains("invalid_grant"), "errors: " + again.getErrors());
    }

    @ParameterizedTest(name = "{0}: a wrong password is the SDK's error with Okta's message")
    @ValueSource(strings = {"password-first", "identifier-first"})
    void wrongPasswordIsTheSdksErrorWithOktasMessage(String policy) {
        IDXAuthenticationWrapper idx = wrapperFor(policy);
        AuthenticationResponse failed = idx.authenticate(
                new AuthenticationOptions(USERNAME, "not-the-password-1".toCharArray()), begin(idx));
        assertNotEquals(AuthenticationStatus.SUCCESS, failed.getAuthenticationStatus());
        assertNull(failed.getTokenResponse());
        assertEquals(java.util.List.of("Authentication failed"), failed.getErrors());
    }

    private static void assertTokensAndProfile(TokenResponse tokens, String policy) throws Exception {
        assertNotNull(tokens, "token response");
        assertNotNull(tokens.getAccessToken(), "access token");
        assertNotNull(tokens.getRefreshToken(), "refresh token (offline_access)");
        assertEquals("Bearer", tokens.getTokenType());
        JsonNode idToken = jwtClaims(tokens.getIdToken());
        assertEquals(ISSUER, idToken.get("iss").asText());
        assertEquals(env(policy.toUpperCase().replace('-', '_') + "_CLIENT_ID"), idToken.get("aud").asText());

        // The seed's step 4: v1/userinfo with the access token.
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(ISSUER + "/v1/userinfo"))
                .header("Authorization", "Bearer " + tokens.getAccessToken()).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        JsonNode profile = JSON.readTree(r.body());
        assertEquals(idToken.get("sub").asText(), profile.get("sub").asText());
        assertEquals(USERNAME, profile.get("email").asText());
    }

    private static JsonNode jwtClaims(String jwt) throws Exception {
        assertNotNull(jwt, "id token");
        String[] parts = jwt.split("\\.");
        assertEquals(3, parts.length, "a signed JWT");
        return JSON.readTree(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
    }

    /** The identify remediation of the transaction, as introspect shows it (introspect changes nothing). */
    private static JsonNode identifyForm(ProceedContext context) throws Exception {
        URI base = URI.create(ISSUER).resolve("/");
        JsonNode state = ion(base.resolve("idp/idx/introspect"),
                JSON.createObjectNode().put("interactionHandle", context.getClientContext().getInteractionHandle()));
        for (JsonNode remediation : state.path("remediation").path("value")) {
            if ("identify".equals(remediation.path("name").asText())) return remediation.path("value");
        }
        throw new AssertionError("no identify remediation in " + state);
    }

    /** What the sign-in widget does with the interaction handle: introspect, then identify with the password. */
    private static String widgetSignIn(String interactionHandle) throws Exception {
        URI base = URI.create(ISSUER).resolve("/");
        JsonNode first = ion(base.resolve("idp/idx/introspect"), JSON.createObjectNode().put("interactionHandle", interactionHandle));
        String identifyHref = null;
        for (JsonNode remediation : first.path("remediation").path("value")) {
            if ("identify".equals(remediation.path("name").asText())) identifyHref = remediation.path("href").asText();
        }
        assertNotNull(identifyHref, "introspect offers identify: " + first);
        var body = JSON.createObjectNode().put("identifier", USERNAME).put("stateHandle", first.path("stateHandle").asText());
        body.putObject("credentials").put("passcode", PASSWORD);
        JsonNode success = ion(URI.create(identifyHref), body);
        for (JsonNode field : success.path("successWithInteractionCode").path("value")) {
            if ("interaction_code".equals(field.path("name").asText())) return field.path("value").asText();
        }
        throw new AssertionError("no interaction_code in " + success);
    }

    private static JsonNode ion(URI uri, JsonNode body) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri)
                .header("Content-Type", ION).header("Accept", ION)
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), uri + ": " + r.body());
        return JSON.readTree(r.body());
    }
}

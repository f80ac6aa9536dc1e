package dev.gatehouse.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.okta.idx.sdk.api.client.Authenticator;
import com.okta.idx.sdk.api.client.IDXAuthenticationWrapper;
import com.okta.idx.sdk.api.client.ProceedContext;
import com.okta.idx.sdk.api.model.AuthenticationOptions;
import com.okta.idx.sdk.api.model.AuthenticationStatus;
import com.okta.idx.sdk.api.model.VerifyAuthenticatorOptions;
import com.okta.idx.sdk.api.response.AuthenticationResponse;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Password recovery ("Forgot password?") with Okta's IDX SDK for Java against a real Gatehouse and a real SMTP
 * server: recoverPassword (the identify page's recover, then identify-recovery) → selectAuthenticator (email) →
 * verifyAuthenticator with the code read from the mail → verifyAuthenticator with the new password (what the SDK's
 * samples do on reset-authenticator) → tokens; then the new password signs in and the old one does not. The mailed
 * code comes from packages/server/test/interop/java-idx.test.ts, which runs the SMTP server and serves each
 * address's next code at GATEHOUSE_INTEROP_MAIL_CODE_URL.
 */
class PasswordRecoveryTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private static String env(String name) {
        String v = System.getenv("GATEHOUSE_INTEROP_" + name);
        if (v == null || v.isEmpty()) {
            throw new IllegalStateException("GATEHOUSE_INTEROP_" + name + " is not set: run this through npm test "
                    + "(packages/server/test/interop/java-idx.test.ts starts Gatehouse and sets it)");
        }
        return v;
    }

    private static IDXAuthenticationWrapper wrapperFor(String key) {
        return new IDXAuthenticationWrapper(env("ISSUER"), env(key + "_CLIENT_ID"), env(key + "_CLIENT_SECRET"),
                Set.of("openid", "profile", "email", "offline_access"), env("REDIRECT_URI"));
    }

    private static void noErrors(String step, AuthenticationResponse r) {
        assertTrue(r.getErrors() == null || r.getErrors().isEmpty(), step + ": " + r.getErrors());
    }

    @ParameterizedTest(name = "{0}: recoverPassword, email, the mailed code, a new password, tokens")
    @ValueSource(strings = {"password-first", "identifier-first"})
    void recoverPasswordWithTheMailedCode(String policy) throws Exception {
        String key = policy.toUpperCase().replace('-', '_');
        String username = env(key + "_RECOVERY_USERNAME");
        String newPassword = "Java-recovered-" + policy + "-7";
        IDXAuthenticationWrapper idx = wrapperFor(key);

        AuthenticationResponse begun = idx.begin();
        noErrors("begin()", begun);
        AuthenticationResponse r = idx.recoverPassword(username, begun.getProceedContext());
        noErrors("recoverPassword()", r);
        assertEquals(AuthenticationStatus.AWAITING_AUTHENTICATOR_SELECTION, r.getAuthenticationStatus());
        Authenticator email = r.getAuthenticators().stream().filter(a -> "email".equals(a.getType())).findFirst()
                .orElseThrow(() -> new AssertionError("no email authenticator offered for recovery"));

        r = idx.selectAuthenticator(r.getProceedContext(), email);
        noErrors("selectAuthenticator(email)", r);
        assertEquals(AuthenticationStatus.AWAITING_AUTHENTICATOR_VERIFICATION, r.getAuthenticationStatus());

        r = idx.verifyAuthenticator(r.getProceedContext(), new VerifyAuthenticatorOptions(mailedCode(username)));
        noErrors("verifyAuthenticator(code)", r);
        assertEquals(AuthenticationStatus.AWAITING_PASSWORD_RESET, r.getAuthenticationStatus());

        r = idx.verifyAuthenticator(r.getProceedContext(), new VerifyAuthenticatorOptions(newPassword));
        noErrors("verifyAuthenticator(new password)", r);
        assertEquals(AuthenticationStatus.SUCCESS, r.getAuthenticationStatus());
        assertNotNull(r.getTokenResponse(), "token response");
        assertNotNull(r.getTokenResponse().getAccessToken(), "access token");
        JsonNode idToken = jwtClaims(r.getTokenResponse().getIdToken());
        assertEquals(env("ISSUER"), idToken.get("iss").asText());
        assertEquals(env(key + "_CLIENT_ID"), idToken.get("aud").asText());

        // The new password signs in; the old one is Okta's error.
        IDXAuthenticationWrapper again = wrapperFor(key);
        AuthenticationResponse signedIn = again.authenticate(
                new AuthenticationOptions(username, newPassword.toCharArray()), again.begin().getProceedContext());
        assertEquals(AuthenticationStatus.SUCCESS, signedIn.getAuthenticationStatus(), "errors: " + signedIn.getErrors());
        AuthenticationResponse old = again.authenticate(
                new AuthenticationOptions(username, env("PASSWORD").toCharArray()), again.begin().getProceedContext());
        assertNotEquals(AuthenticationStatus.SUCCESS, old.getAuthenticationStatus());
        assertNull(old.getTokenResponse());
        assertEquals(List.of("Authentication failed"), old.getErrors());
    }

    /** The code in the next mail to this address, read from the captured mail by the node driver. */
    private static String mailedCode(String to) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(env("MAIL_CODE_URL") + "?to="
                + URLEncoder.encode(to, StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(15)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), "mailed code for " + to + ": " + r.body());
        assertTrue(r.body().matches("\\d{6}"), "mailed code for " + to + ": " + r.body());
        return r.body();
    }

    private static JsonNode jwtClaims(String jwt) throws Exception {
        assertNotNull(jwt, "id token");
        String[] parts = jwt.split("\\.");
        assertEquals(3, parts.length, "a signed JWT");
        return JSON.readTree(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
    }
}

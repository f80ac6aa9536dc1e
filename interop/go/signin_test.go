// Okta's IDX SDK for Go (github.com/okta/okta-idx-golang) signs in against a real Gatehouse: password sign-in to
// tokens on both sign-in policies, the seed's widget callback redeemed with RedeemInteractionCode, and a wrong
// password as the SDK's error with Okta's message. The Gatehouse, its apps and the user come from
// packages/server/test/interop/go-idx.test.ts through GATEHOUSE_INTEROP_* variables.
package interop

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	idx "github.com/okta/okta-idx-golang"
)

var policies = []string{"password-first", "identifier-first"}

func env(t *testing.T, name string) string {
	t.Helper()
	v := os.Getenv("GATEHOUSE_INTEROP_" + name)
	if v == "" {
		t.Fatalf("GATEHOUSE_INTEROP_%s is not set: run this through npm test (packages/server/test/interop/go-idx.test.ts starts Gatehouse and sets it)", name)
	}
	return v
}

func policyKey(policy string) string { return strings.ReplaceAll(strings.ToUpper(policy), "-", "_") }

// client builds the SDK's client for the app with this sign-in policy. The SDK keeps the last client in a package
// variable, so these tests run one after another (no t.Parallel).
func client(t *testing.T, policy string) *idx.Client {
	t.Helper()
	c, err := idx.NewClientWithSettings(
		idx.WithIssuer(env(t, "ISSUER")),
		idx.WithClientID(env(t, policyKey(policy)+"_CLIENT_ID")),
		idx.WithClientSecret(env(t, policyKey(policy)+"_CLIENT_SECRET")),
		idx.WithScopes([]string{"openid", "profile", "email", "offline_access"}),
		idx.WithRedirectURI(env(t, "REDIRECT_URI")),
	)
	if err != nil {
		t.Fatalf("NewClientWithSettings: %v", err)
	}
	return c.WithHTTPClient(&http.Client{Timeout: 30 * time.Second})
}

func TestPasswordSignInToTokensAndUserinfo(t *testing.T) {
	for _, policy := range policies {
		t.Run(policy, func(t *testing.T) {
			ctx := context.Background()
			lr, err := client(t, policy).InitLogin(ctx)
			if err != nil {
				t.Fatalf("InitLogin: %v", err)
			}
			if !lr.HasStep(idx.LoginStepIdentify) {
				t.Fatalf("InitLogin offers %v, not identify", lr.AvailableSteps())
			}
			// Identify sends the password with the username, or answers the password challenge after it.
			lr, err = lr.Identify(ctx, &idx.IdentifyRequest{
				Identifier:  env(t, "USERNAME"),
				Credentials: idx.Credentials{Password: env(t, "PASSWORD")},
			})
			if err != nil {
				t.Fatalf("Identify: %v", err)
			}
			if !lr.IsAuthenticated() {
				t.Fatalf("not authenticated; next steps %v", lr.AvailableSteps())
			}
			tok := lr.Token()
			if tok.TokenType != "Bearer" || tok.AccessToken == "" {
				t.Fatalf("token response: %+v", tok)
			}
			checkTokensAndProfile(t, policy, tok.AccessToken, tok.IDToken)
		})
	}
}

func TestRedeemInteractionCodeAsTheSeedDoes(t *testing.T) {
	// The seed's shape, with the SDK's twin of the .NET RedeemInteractionCodeAsync: the app starts the
	// interaction, the widget signs the user in with the interaction handle, and the app redeems the code.
	// RedeemInteractionCode (v0.2.2) sends every token parameter, client_secret included, in the URL's query string
	// with an empty body; Gatehouse accepts exactly that shape, as Okta does (README, compatibility notes).
	ctx := context.Background()
	c := client(t, "password-first")
	idxContext, err := c.Interact(ctx)
	if err != nil {
		t.Fatalf("Interact: %v", err)
	}
	code := widgetSignIn(t, idxContext.InteractionHandle.InteractionHandle)
	tokens, err := c.RedeemInteractionCode(ctx, idxContext, code)
	if err != nil {
		t.Fatalf("RedeemInteractionCode: %v", err)
	}
	if tokens.AccessToken == "" || tokens.IDToken == "" {
		t.Fatalf("RedeemInteractionCode gave no tokens: %+v", tokens)
	}
	if _, err := c.RedeemInteractionCode(ctx, idxContext, code); err == nil {
		t.Fatalf("the same interaction code redeemed twice")
	}
}

func TestWrongPasswordIsTheSDKsErrorWithOktasMessage(t *testing.T) {
	for _, policy := range policies {
		t.Run(policy, func(t *testing.T) {
			ctx := context.Background()
			lr, err := client(t, policy).InitLogin(ctx)
			if err != nil {
				t.Fatalf("InitLogin: %v", err)
			}
			_, err = lr.Identify(ctx, &idx.IdentifyRequest{
				Identifier:  env(t, "USERNAME"),
				Credentials: idx.Credentials{Password: "not-the-password-1"},
			})
			if err == nil || err.Error() != "Authentication failed" {
				t.Fatalf("Identify with a wrong password: %v", err)
			}
		})
	}
}

func checkTokensAndProfile(t *testing.T, policy, accessToken, idToken string) {
	t.Helper()
	claims := jwtClaims(t, idToken)
	if claims["iss"] != env(t, "ISSUER") || claims["aud"] != env(t, policyKey(policy)+"_CLIENT_ID") {
		t.Fatalf("id token claims: %v", claims)
	}
	// The seed's step 4: v1/userinfo with the access token.
	req, _ := http.NewRequest(http.MethodGet, env(t, "ISSUER")+"/v1/userinfo", nil)
	req.Header.Set("Authorization", "Bearer "+accessToken)
	var profile map[string]any
	if status := doJSON(t, req, &profile); status != http.StatusOK {
		t.Fatalf("userinfo answered %d: %v", status, profile)
	}
	if profile["sub"] != claims["sub"] || profile["email"] != env(t, "USERNAME") {
		t.Fatalf("userinfo %v for id token %v", profile, claims)
	}
}

func jwtClaims(t *testing.T, jwt string) map[string]any {
	t.Helper()
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		t.Fatalf("not a signed JWT: %q", jwt)
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatalf("JWT payload: %v", err)
	}
	var claims map[string]any
	if err := json.Unmarshal(raw, &claims); err != nil {
		t.Fatalf("JWT payload: %v", err)
	}
	return claims
}

// widgetSignIn does what the sign-in widget does with the interaction handle: introspect, then identify with the
// password; it returns the interaction code.
func widgetSignIn(t *testing.T, interactionHandle string) string {
	t.Helper()
	issuer, _ := url.Parse(env(t, "ISSUER"))
	base := issuer.Scheme + "://" + issuer.Host
	var first struct {
		StateHandle string `json:"stateHandle"`
		Remediation struct {
			Value []struct {
				Name string `json:"name"`
				Href string `json:"href"`
			} `json:"value"`
		} `json:"remediation"`
	}
	ion(t, base+"/idp/idx/introspect", map[string]any{"interactionHandle": interactionHandle}, &first)
	href := ""
	for _, r := range first.Remediation.Value {
		if r.Name == "identify" {
			href = r.Href
		}
	}
	if href == "" {
		t.Fatalf("introspect offers no identify: %+v", first)
	}
	var success struct {
		SuccessWithInteractionCode struct {
			Value []struct {
				Name  string `json:"name"`
				Value string `json:"value"`
			} `json:"value"`
		} `json:"successWithInteractionCode"`
	}
	ion(t, href, map[string]any{
		"identifier":  env(t, "USERNAME"),
		"credentials": map[string]string{"passcode": env(t, "PASSWORD")},
		"stateHandle": first.StateHandle,
	}, &success)
	for _, f := range success.SuccessWithInteractionCode.Value {
		if f.Name == "interaction_code" {
			return f.Value
		}
	}
	t.Fatalf("no interaction_code: %+v", success)
	return ""
}

func ion(t *testing.T, href string, body any, out any) {
	t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest(http.MethodPost, href, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/ion+json; okta-version=1.0.0")
	req.Header.Set("Accept", "application/ion+json; okta-version=1.0.0")
	if status := doJSON(t, req, out); status != http.StatusOK {
		t.Fatalf("%s answered %d", href, status)
	}
}

func doJSON(t *testing.T, req *http.Request, out any) int {
	t.Helper()
	resp, err := (&http.Client{Timeout: 30 * time.Second}).Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		t.Fatalf("%s %s: %d, body not JSON: %v", req.Method, req.URL, resp.StatusCode, err)
	}
	return resp.StatusCode
}

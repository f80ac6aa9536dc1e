// Renders the Gatehouse widget with the configuration the server put in the page (no inline script, so the
// page's CSP can forbid them). The widget sends the browser to /interactioncode/callback when it is done.
(function () {
  var config = JSON.parse(document.getElementById('widget-config').textContent);
  var SignIn = window.GatehouseSignIn || window.OktaSignIn;
  new SignIn(config).showSignInAndRedirect({ el: '#sign-in-widget' });
})();

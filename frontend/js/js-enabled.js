// Runs first thing in <body>, before the page is drawn, so the styles that depend on JavaScript
// apply at once. GOV.UK Frontend only initialises components when `govuk-frontend-supported` is
// set, which it is for browsers that support ES modules (the test GOV.UK's page template uses;
// it is an external file here because the Content Security Policy forbids inline scripts).
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");

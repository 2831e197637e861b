// Initialise GOV.UK Frontend and MoJ Frontend components (elements with `data-module`).
//
// Loaded as `<script type="module">`, so browsers too old for ES modules get the plain,
// server-rendered pages, which work without JavaScript. Content that htmx swaps in later is
// initialised too; the first `htmx:load` (for the whole body) is skipped, because the page was
// initialised here already and components refuse to initialise twice.
import { initAll as initGovukFrontend } from "./vendor/govuk-frontend.min.js";
import { initAll as initMojFrontend } from "./vendor/moj-frontend.min.js";

function initialise(scope) {
  initGovukFrontend({ scope });
  initMojFrontend({ scope });
}

initialise(document);

document.addEventListener("htmx:load", (event) => {
  if (event.target instanceof Element && event.target !== document.body) {
    initialise(event.target);
  }
});

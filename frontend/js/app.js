// Initialise GOV.UK Frontend and MoJ Frontend components (elements with `data-module`), and
// PutRight's own small enhancements.
//
// Loaded as `<script type="module">`, so browsers too old for ES modules get the plain,
// server-rendered pages, which work without JavaScript. Content that htmx swaps in later is
// initialised too; the first `htmx:load` (for the whole body) is skipped, because the page was
// initialised here already and components refuse to initialise twice.
import { initAll as initGovukFrontend } from "./vendor/govuk-frontend.min.js";
import { initAll as initMojFrontend } from "./vendor/moj-frontend.min.js";
import { watchSessionTimeout } from "./timeout-warning.js";

// A table's scrolling region (`data-app-scroll-region`) is a tab stop in the HTML, so that
// without a script it can always be scrolled from the keyboard. While its table fits there is
// nothing to scroll, so the tab stop is dropped, and it comes back when the table no longer fits.
const regionSizes =
  "ResizeObserver" in window
    ? new ResizeObserver((entries) => {
        for (const { target } of entries) {
          if (target.scrollWidth > target.clientWidth) {
            target.setAttribute("tabindex", "0");
          } else if (target !== document.activeElement) {
            target.removeAttribute("tabindex");
          }
        }
      })
    : null;

function watchScrollRegions(scope) {
  if (regionSizes) {
    scope.querySelectorAll("[data-app-scroll-region]").forEach((region) => {
      regionSizes.observe(region);
    });
  }
}

// A link to a past stage of a case (`#stage-1`) opens the stage's folded <details>
// (`data-app-fold`), whether the link is followed on this page or the page opens at it.
// Without a script the link still leads to the stage's heading, with the fold just below it.
function openFoldFor(hash) {
  if (!hash || hash.length < 2) {
    return;
  }
  const target = document.getElementById(decodeURIComponent(hash.slice(1)));
  const section = target && target.closest(".app-case-section");
  const fold = section && section.querySelector("details[data-app-fold]");
  if (fold && !fold.open) {
    fold.open = true;
  }
}

document.addEventListener("click", (event) => {
  const link = event.target instanceof Element && event.target.closest("a[href*='#']");
  if (link && link.pathname === window.location.pathname && link.search === window.location.search) {
    openFoldFor(link.hash);
  }
});
window.addEventListener("hashchange", () => openFoldFor(window.location.hash));

function initialise(scope) {
  initGovukFrontend({ scope });
  initMojFrontend({ scope });
  watchScrollRegions(scope);
}

initialise(document);
openFoldFor(window.location.hash);
watchSessionTimeout(document.querySelector("dialog[data-app-timeout]"));

document.addEventListener("htmx:load", (event) => {
  if (event.target instanceof Element && event.target !== document.body) {
    initialise(event.target);
  }
});

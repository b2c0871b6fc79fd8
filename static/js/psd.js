// Starts GOV.UK Frontend and MOJ Frontend (vendored in static/vendor/, `make assets`).
// Loaded as a module from a file: the content security policy allows no inline script.
import { initAll as initGovuk } from "../vendor/govuk-frontend.min.js";
import { FilterToggleButton, initAll as initMoj } from "../vendor/moj-frontend.min.js";

// What the design system's inline snippet would do: mark the page as scripted.
document.body.classList.add("js-enabled", "govuk-frontend-supported");
initGovuk();
initMoj();
// MOJ's initAll leaves the filter layout's show/hide button out: on a phone the filter
// panel folds away behind a "Show filter" button instead of covering the results.
for (const filter of document.querySelectorAll('[data-module="moj-filter"]')) {
  new FilterToggleButton(filter);
}

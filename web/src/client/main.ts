// Runs on every page. The page already works without it: this only starts
// GOV.UK Frontend's own components (character counts, error summary focus,
// the mobile menu) and the small enhancements of our own.
import { Button, CharacterCount, Checkboxes, ErrorSummary, NotificationBanner, Radios, ServiceNavigation, SkipLink, createAll } from 'govuk-frontend';

document.body.classList.add('js-enabled', 'govuk-frontend-supported');
for (const component of [Button, CharacterCount, Checkboxes, ErrorSummary, NotificationBanner, Radios, ServiceNavigation, SkipLink]) {
  createAll(component);
}

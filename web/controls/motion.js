// The reader's prefers-reduced-motion setting, read live so a change in the system applies at
// once. Under it a playground does not start by itself (autoplay waits for Play), redraws its
// views at most once a second while training, and slow motion holds each update longer.
const query = typeof matchMedia === 'function' ? matchMedia('(prefers-reduced-motion: reduce)') : null;

/** @returns {boolean} whether the reader asked for reduced motion */
export function prefersReducedMotion() {
  return query?.matches ?? false;
}

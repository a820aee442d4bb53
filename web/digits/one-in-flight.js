// Throttling for calls into a slow model: at most one run of `task` at a time; requests made
// while it runs collapse into one more run afterwards, which reads the latest inputs.

/** @param {() => Promise<void>} task handles its own errors @returns {() => Promise<void>} request */
export function oneInFlight(task) {
  let running = null;
  let again = false;
  return function request() {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          await task();
        } while (again);
      } finally {
        running = null;
      }
    })();
    return running;
  };
}

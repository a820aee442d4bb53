// In-element messages: an error banner (with field errors listed, and a Restart button when the
// model is gone) and a short-lived notice ("Model rebuilt: …"). Never alert().

const NOTICE_MS = 6000;

export class Banner {
  #error;
  #text;
  #list;
  #restart;
  #action;
  #actionRun = null;
  #notice;
  #noticeTimer = 0;

  /**
   * @param {ParentNode} root contains [data-banner=error|notice]
   * @param {() => void} onRestart called by the Restart button
   */
  constructor(root, onRestart) {
    this.#error = /** @type {HTMLElement} */ (root.querySelector('[data-banner="error"]'));
    this.#notice = /** @type {HTMLElement} */ (root.querySelector('[data-banner="notice"]'));
    this.#text = this.#error.appendChild(document.createElement('p'));
    this.#list = this.#error.appendChild(document.createElement('ul'));
    const actions = this.#error.appendChild(document.createElement('div'));
    actions.className = 'banner-actions';
    this.#action = actions.appendChild(document.createElement('button'));
    Object.assign(this.#action, { type: 'button', name: 'action' });
    this.#action.addEventListener('click', () => this.#actionRun?.());
    this.#restart = actions.appendChild(document.createElement('button'));
    Object.assign(this.#restart, { type: 'button', name: 'restart', textContent: 'Restart' });
    this.#restart.addEventListener('click', () => onRestart());
    const dismiss = actions.appendChild(document.createElement('button'));
    Object.assign(dismiss, { type: 'button', name: 'dismiss', textContent: 'Dismiss' });
    dismiss.addEventListener('click', () => this.clearError());
    this.clearError();
  }

  /**
   * @param {string} message
   * @param {{errors?: {field: string, message: string}[], restart?: boolean,
   *   action?: {label: string, run: () => void}}} [options]
   *   errors: Rust's field errors to list; restart: offer to recreate the model; action: one more
   *   button (e.g. "Restore step 1200")
   */
  showError(message, { errors = [], restart = false, action = null } = {}) {
    this.#actionRun = action?.run ?? null;
    this.#action.textContent = action?.label ?? '';
    this.#action.hidden = !action;
    this.#text.textContent = message;
    this.#list.replaceChildren(
      ...errors.map((e) => {
        const li = document.createElement('li');
        li.textContent = e.field ? `${e.field}: ${e.message}` : e.message;
        return li;
      }),
    );
    this.#list.hidden = errors.length === 0;
    this.#restart.hidden = !restart;
    this.#error.hidden = false;
  }

  clearError() {
    this.#error.hidden = true;
    this.#actionRun = null;
    this.#action.hidden = true;
    this.#text.textContent = '';
    this.#list.replaceChildren();
  }

  /** @returns {string} the error text shown now ('' when none) */
  get errorText() {
    if (this.#error.hidden) return '';
    return [this.#text.textContent, ...[...this.#list.children].map((li) => li.textContent)].join('\n');
  }

  notice(message) {
    clearTimeout(this.#noticeTimer);
    this.#notice.textContent = message;
    this.#notice.hidden = false;
    this.#noticeTimer = setTimeout(() => (this.#notice.hidden = true), NOTICE_MS);
  }
}

/** A user-readable sentence for any thrown value (Rust's errors are already readable). */
export function messageOf(error) {
  if (error instanceof WebAssembly.RuntimeError) return `The training engine crashed (${error.message}).`;
  const text = (error instanceof Error ? error.message : String(error)).trim();
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

// <gan-quiz playground="id">: multiple-choice and true/false questions a blogger writes in plain
// HTML inside the element, checked in the page (nothing is sent anywhere). Each question is a
// <fieldset data-answer="VALUE" [data-check="EXPERIMENT"]> with a <legend>, radio inputs and a
// <p data-explain>. The element adds to each a "Check answer" button, a status line saying
// right or wrong, the explanation (shown once answered) and, where data-check names one of
// quiz-checks.js's experiments, a "Check it by training" button that runs it on the playground
// and says what it measured. Light DOM: the blogger's markup (native radios, fieldset and legend)
// stays what assistive technology reads, and the page's styles apply.
import { CHECKS } from './quiz-checks.js';

export class GanQuiz extends HTMLElement {
  #enhanced = false;
  /** @type {HTMLElement|null} */
  #score = null;

  connectedCallback() {
    if (this.#enhanced) return;
    this.#enhanced = true;
    const questions = /** @type {HTMLFieldSetElement[]} */ ([...this.querySelectorAll('fieldset[data-answer]')]);
    questions.forEach((fieldset, i) => this.#enhance(fieldset, i));
    this.#score = this.appendChild(document.createElement('p'));
    this.#score.className = 'quiz-score';
    this.#score.setAttribute('role', 'status');
    this.#showScore();
  }

  /** Per question: answered, right, and what its experiment measured (a test hook). */
  get results() {
    return [...this.querySelectorAll('fieldset[data-answer]')].map((/** @type {HTMLElement} */ f) => ({
      answered: f.dataset.result != null,
      right: f.dataset.result === 'right',
      check: f.dataset.check ?? null,
      measured: f.dataset.measured ?? null,
    }));
  }

  #enhance(fieldset, index) {
    const radios = /** @type {HTMLInputElement[]} */ ([...fieldset.querySelectorAll('input[type="radio"]')]);
    for (const radio of radios) radio.name ||= `gan-quiz-${index}`;
    const explain = /** @type {HTMLElement|null} */ (fieldset.querySelector('[data-explain]'));
    if (explain) explain.hidden = true;
    const actions = fieldset.appendChild(document.createElement('div'));
    actions.className = 'quiz-actions';
    const status = document.createElement('p');
    status.className = 'quiz-status';
    status.setAttribute('role', 'status');
    const answer = actions.appendChild(button('Check answer'));
    answer.addEventListener('click', () => {
      const chosen = radios.find((r) => r.checked);
      if (!chosen) {
        status.textContent = 'Pick an answer first.';
        return;
      }
      const right = chosen.value === fieldset.dataset.answer;
      fieldset.dataset.result = right ? 'right' : 'wrong';
      const correct = radios.find((r) => r.value === fieldset.dataset.answer);
      status.textContent = right ? 'Right.' : `Not quite: the answer is “${labelText(correct)}”.`;
      if (explain) explain.hidden = false;
      this.#showScore();
    });
    const name = fieldset.dataset.check;
    if (name) {
      const check = actions.appendChild(button('Check it by training'));
      const measured = document.createElement('p');
      measured.className = 'quiz-measured';
      measured.setAttribute('role', 'status');
      check.addEventListener('click', () => this.#runCheck(name, fieldset, check, measured));
      fieldset.append(status, measured);
    } else {
      fieldset.append(status);
    }
  }

  async #runCheck(name, fieldset, button, out) {
    const experiment = Object.hasOwn(CHECKS, name) ? CHECKS[name] : null;
    const playground = /** @type {any} */ (document.getElementById(this.getAttribute('playground') ?? ''));
    if (!experiment) {
      out.textContent = `Unknown experiment "${name}": use one of ${Object.keys(CHECKS).join(', ')}.`;
      return;
    }
    if (!playground || typeof playground.step !== 'function') {
      out.textContent = 'No playground to train on: give <gan-quiz> a playground="id" of a <gan-playground> on this page.';
      return;
    }
    button.disabled = true;
    out.textContent = 'Training the playground…';
    try {
      const m = await experiment(playground);
      fieldset.dataset.measured = m.agrees ? 'agrees' : 'disagrees';
      out.textContent = `Measured: ${m.text}. ${m.agrees ? 'This agrees with the answer.' : 'This run does not show it; training is random per seed: try another.'}`;
    } catch (error) {
      fieldset.dataset.measured = 'failed';
      out.textContent = `The experiment failed: ${error instanceof Error ? error.message : String(error)}.`;
    } finally {
      button.disabled = false;
    }
  }

  #showScore() {
    const results = this.results;
    const answered = results.filter((r) => r.answered).length;
    const right = results.filter((r) => r.right).length;
    if (this.#score) this.#score.textContent = `${answered} of ${results.length} answered, ${right} right.`;
  }
}

function button(text) {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = text;
  return b;
}

/** The text of a radio's label (its wrapping <label>, or one that names it). */
function labelText(radio) {
  return (radio?.closest('label') ?? radio?.labels?.[0])?.textContent.trim() ?? radio?.value ?? '';
}

if (!customElements.get('gan-quiz')) customElements.define('gan-quiz', GanQuiz);

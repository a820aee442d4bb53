// Page entry point: defines <gan-playground> and <dirac-gan>; the page markup holds the elements.
import './gan-playground.js';
import './dirac-gan.js';
